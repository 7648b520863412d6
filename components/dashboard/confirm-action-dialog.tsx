"use client";

import { useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/actions/safe-action";

interface ConfirmActionDialogProps {
  /** The button that opens the dialog (rendered through DialogTrigger asChild). */
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  /** The server action to run once confirmed. */
  run: () => Promise<ActionResult<unknown>>;
  /** The toast after it succeeded. */
  success: string;
}

/**
 * "Are you sure?" for a destructive server action (revoke, remove, delete): runs it, shows a
 * refusal inside the dialog and as a toast, or closes and refreshes the page on success.
 */
export function ConfirmActionDialog({ trigger, title, description, confirmLabel, pendingLabel, run, success }: ConfirmActionDialogProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {error && (
          <Alert variant="destructive">
            <AlertDescription role="alert">{error}</AlertDescription>
          </Alert>
        )}
        <DialogFooter>
          <DialogClose asChild><Button variant="outline">Cancel</Button></DialogClose>
          <Button
            variant="destructive"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await run();
                if (!result.ok) {
                  setError(result.error);
                  toast.error(result.error);
                  return;
                }
                toast.success(success);
                setOpen(false);
                router.refresh();
              })
            }
          >
            {pending && pendingLabel ? pendingLabel : confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
