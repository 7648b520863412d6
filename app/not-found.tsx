import type { Metadata } from "next";
import Link from "next/link";
import { FileQuestionMark } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4">
      <Card className="w-full max-w-md text-center">
        <CardHeader className="justify-items-center gap-3">
          <span className="flex size-12 items-center justify-center rounded-full bg-muted">
            <FileQuestionMark className="size-5 text-muted-foreground" aria-hidden />
          </span>
          <h1 className="text-xl font-semibold tracking-tight">Page not found</h1>
          <CardDescription>The address may be mistyped, or the page may have moved.</CardDescription>
        </CardHeader>
        <CardFooter className="justify-center">
          <Button asChild>
            <Link href="/">Go to the overview</Link>
          </Button>
        </CardFooter>
      </Card>
    </main>
  );
}
