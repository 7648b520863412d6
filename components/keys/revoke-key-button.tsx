"use client";

import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { revokeApiKeyAction } from "@/lib/actions/keys/revoke-api-key";

export function RevokeKeyButton({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  return (
    <ConfirmActionDialog
      trigger={<Button variant="outline" size="sm" aria-label={`Revoke ${name}`}>Revoke</Button>}
      title={`Revoke “${name}”?`}
      description={
        <>
          The gateway refuses <span className="font-mono">{prefix}…</span> within a second. This cannot be undone: apps using it need a new key.
        </>
      }
      confirmLabel="Revoke key"
      run={() => revokeApiKeyAction({ id })}
      success={`Key “${name}” revoked.`}
    />
  );
}
