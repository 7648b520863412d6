"use client";

import type { FormEventHandler, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

/**
 * The frame of every add/edit dialog driven by `useFormDialog`: trigger, title and description,
 * a form that does its own validation (`noValidate`), and Cancel / submit buttons whose label
 * says what is happening while the action runs. A dialog states only its fields.
 */

interface FormDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opens the dialog (rendered as the trigger itself). */
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  /** Classes of the dialog's content box (width, scrolling). */
  className?: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  pending: boolean;
  /** "Save", "Add member"… */
  submitLabel: string;
  /** "Saving…", "Adding…" */
  pendingLabel: string;
  cancelVariant?: "outline" | "ghost";
  /** The form's fields. */
  children: ReactNode;
}

export function FormDialog({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  className,
  onSubmit,
  pending,
  submitLabel,
  pendingLabel,
  cancelVariant = "outline",
  children,
}: FormDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className={className}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          {children}
          <DialogFooter>
            <Button type="button" variant={cancelVariant} onClick={() => onOpenChange(false)}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? pendingLabel : submitLabel}</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
