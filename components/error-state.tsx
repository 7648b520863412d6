"use client";

import { useEffect, type ReactNode } from "react";
import { RotateCw, TriangleExclamationPoint } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

interface ErrorStateProps {
  error: unknown;
  retry: () => void;
  title?: string;
  /** Extra actions next to "Try again", e.g. a link home. */
  actions?: ReactNode;
}

/**
 * Body of the error boundaries. Server errors reach the browser without their message in
 * production; the digest is what matches the server log, so it is shown for support requests.
 */
export function ErrorState({ error, retry, title = "Something went wrong", actions }: ErrorStateProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  return (
    <div className="flex justify-center py-12">
      <Card className="w-full max-w-md" role="alert">
        <CardHeader className="gap-3">
          <span className="flex size-10 items-center justify-center rounded-full bg-destructive/10">
            <TriangleExclamationPoint className="size-5 text-destructive" aria-hidden />
          </span>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          <CardDescription>
            This page could not be loaded. It may be a temporary problem with the database or the network; try
            again, and if it keeps happening, report the reference below.
          </CardDescription>
        </CardHeader>
        {digest && (
          <CardContent>
            <p className="text-xs text-muted-foreground">
              Reference: <code className="font-mono">{digest}</code>
            </p>
          </CardContent>
        )}
        <CardFooter className="gap-2">
          <Button onClick={() => retry()}>
            <RotateCw aria-hidden />
            Try again
          </Button>
          {actions}
        </CardFooter>
      </Card>
    </div>
  );
}
