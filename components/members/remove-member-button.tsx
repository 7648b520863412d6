"use client";

import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { removeMemberAction } from "@/lib/actions/members/remove-member";

export function RemoveMemberButton({ id, email, scope }: { id: string; email: string; scope: string }) {
  return (
    <ConfirmActionDialog
      trigger={<Button variant="outline" size="sm" aria-label={`Remove ${email} (${scope})`}>Remove</Button>}
      title={`Remove ${email}?`}
      description={`They lose their role in ${scope === "Platform" ? "every organization (platform-wide)" : scope}. Their sign-in and other memberships stay.`}
      confirmLabel="Remove member"
      pendingLabel="Removing…"
      run={() => removeMemberAction({ id })}
      success={`${email} removed from ${scope}.`}
    />
  );
}
