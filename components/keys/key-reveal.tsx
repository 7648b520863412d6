"use client";

import { useState } from "react";
import { Check, Copy, TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The new key, shown once: after this dialog closes only its prefix is ever shown again. */
export function KeyReveal({ plaintext }: { plaintext: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(plaintext);
      setCopied(true);
    } catch {
      // Clipboard access can be denied (insecure origin, permissions); the key stays selectable.
      setCopied(false);
    }
  }
  return (
    <div className="grid gap-4">
      <Alert variant="destructive">
        <TriangleAlert />
        <AlertTitle>Copy this key now: it will not be shown again</AlertTitle>
        <AlertDescription>Only its prefix and a SHA-256 hash are stored. If it is lost, revoke it and create a new one.</AlertDescription>
      </Alert>
      <div className="flex items-center gap-2">
        <code data-testid="new-api-key" className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all select-all">
          {plaintext}
        </code>
        <Button type="button" variant="outline" size="sm" onClick={copy} aria-label="Copy key">
          {copied ? <Check /> : <Copy />} {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
