"use client";

import { Lock, LockOpen } from "lucide-react";
import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { closeStatementAction } from "@/lib/actions/statements/close-statement";
import { reopenStatementAction } from "@/lib/actions/statements/reopen-statement";
import { reopenStatementSchema } from "@/lib/schemas/statement";

/** Close (confirmed) and reopen (with a reason) for platform admins; the database refuses anyone else. */
export function CloseStatementButton({ organizationId, organizationName, month }: { organizationId: string; organizationName: string; month: string }) {
  return (
    <ConfirmActionDialog
      trigger={
        <Button size="sm">
          <Lock aria-hidden />
          Close {month}
        </Button>
      }
      title={`Close ${month} for ${organizationName}?`}
      description="The statement is frozen exactly as shown. Later changes to this month (late records, repricing, price corrections) appear as adjustment lines on the next open month."
      confirmLabel="Close month"
      pendingLabel="Closing…"
      run={() => closeStatementAction({ organizationId, month })}
      success={`${month} closed for ${organizationName}.`}
    />
  );
}

export function ReopenStatementDialog({ organizationId, organizationName, month }: { organizationId: string; organizationName: string; month: string }) {
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: reopenStatementSchema,
    initial: () => ({ organizationId, month, reason: "" }),
    action: reopenStatementAction,
    success: () => `${month} reopened for ${organizationName}.`,
  });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button size="sm" variant="outline">
          <LockOpen aria-hidden />
          Reopen {month}
        </Button>
      }
      title={<>Reopen {month} for {organizationName}?</>}
      description="Its frozen lines are removed and the month becomes a draft again; the reopen and its reason are recorded in the audit trail. Only the latest closed month can be reopened."
      onSubmit={submit}
      pending={pending}
      submitLabel="Reopen month"
      pendingLabel="Reopening…"
    >
      <Field id="reopen-reason" label="Reason" errors={errors.reason ?? errors._}>
        <Textarea id="reopen-reason" value={String(values.reason ?? "")} onChange={(e) => set({ reason: e.target.value })} aria-invalid={Boolean(errors.reason)} />
      </Field>
    </FormDialog>
  );
}
