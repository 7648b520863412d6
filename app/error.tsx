"use client";

import Link from "next/link";
import { ErrorState } from "@/components/error-state";
import { Button } from "@/components/ui/button";

export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="px-4">
      <ErrorState
        error={error}
        retry={retry}
        actions={
          <Button asChild variant="outline">
            <Link href="/">Go to the overview</Link>
          </Button>
        }
      />
    </main>
  );
}
