"use client";

import { useState, type ReactNode } from "react";
import { Check, Copy, TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface OneTimeSecretProps {
  /** What it is, in the sentence "Copy this <noun> now", e.g. "key" or "password". */
  noun: string;
  /** How it is stored, e.g. "Only its prefix and a SHA-256 hash are stored." */
  storage: ReactNode;
  value: string;
  testId: string;
  /** Shown before the value, e.g. the account's email. */
  context?: ReactNode;
}

/** A secret shown once (a new API key, a generated password) with a copy button and the warning. */
export function OneTimeSecret({ noun, storage, value, testId, context }: OneTimeSecretProps) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard access can be denied (insecure origin, permissions); the value stays selectable.
      setCopied(false);
    }
  }
  return (
    <div className="grid gap-4">
      <Alert variant="destructive">
        <TriangleAlert />
        <AlertTitle>Copy this {noun} now: it will not be shown again</AlertTitle>
        <AlertDescription>{storage}</AlertDescription>
      </Alert>
      {context}
      <div className="flex items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all select-all">
          {value}
        </code>
        <Button type="button" variant="outline" size="sm" onClick={copy} aria-label={`Copy ${noun}`}>
          {copied ? <Check /> : <Copy />} {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
