"use client";

import dynamic from "next/dynamic";
import { useTheme } from "next-themes";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * The API reference's client boundary: Scalar (a Vue app, several hundred kB) is imported here
 * only, with ssr: false, so it is fetched by /docs alone and never rendered on the server.
 * While it loads the page shows a labelled skeleton.
 */
function Loading() {
  return (
    <div role="status" aria-live="polite" className="mx-auto grid w-full max-w-5xl gap-4 px-4 py-8">
      <span className="text-sm text-muted-foreground">Loading the API reference…</span>
      <Skeleton className="h-8 w-2/3" />
      <Skeleton className="h-4 w-full" />
      <Skeleton className="h-4 w-5/6" />
      <Skeleton className="h-40 w-full" />
    </div>
  );
}

const ScalarReference = dynamic(() => import("./scalar-reference"), { ssr: false, loading: Loading });

export function ApiReference({ document }: { document: Record<string, unknown> }) {
  const { resolvedTheme } = useTheme();
  return (
    <div data-testid="api-reference" className="min-w-0">
      <ScalarReference document={document} dark={resolvedTheme === "dark"} />
    </div>
  );
}
