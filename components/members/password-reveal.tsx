"use client";

import { useState } from "react";
import { Check, Copy, TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The generated password, shown once: only its bcrypt hash is stored. */
export function PasswordReveal({ email, password }: { email: string; password: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      // Clipboard access can be denied (insecure origin, permissions); the password stays selectable.
      setCopied(false);
    }
  }
  return (
    <div className="grid gap-4">
      <Alert variant="destructive">
        <TriangleAlert />
        <AlertTitle>Copy this password now: it will not be shown again</AlertTitle>
        <AlertDescription>Only a bcrypt hash is stored. If it is lost, there is no way to read it back.</AlertDescription>
      </Alert>
      <dl className="grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-2 text-sm">
        <dt className="text-muted-foreground">Email</dt>
        <dd className="font-mono">{email}</dd>
        <dt className="text-muted-foreground">Password</dt>
        <dd className="flex items-center gap-2">
          <code data-testid="new-user-password" className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all select-all">
            {password}
          </code>
          <Button type="button" variant="outline" size="sm" onClick={copy} aria-label="Copy password">
            {copied ? <Check /> : <Copy />} {copied ? "Copied" : "Copy"}
          </Button>
        </dd>
      </dl>
    </div>
  );
}
