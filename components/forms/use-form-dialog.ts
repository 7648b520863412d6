"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { z } from "zod";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import type { ActionResult } from "@/lib/actions/safe-action";

interface FormDialogOptions<S extends z.ZodType, T> {
  schema: S;
  /** Values the form opens with (recomputed each time it opens). */
  initial: () => z.input<S>;
  action: (input: z.infer<S>) => Promise<ActionResult<T>>;
  /** The toast after a successful save. */
  success: (data: T, input: z.infer<S>) => string;
  /** Open on first render (e.g. a link that preselects what to edit). */
  initiallyOpen?: boolean;
  /** Turns the form's values into the schema's input when they differ (e.g. a local date to ISO). */
  toInput?: (values: z.input<S>) => unknown;
}

/**
 * The state every create/edit dialog needs: open, values, field errors, pending. Submitting
 * validates with the same zod schema the server action uses (so most mistakes never leave the
 * browser), then shows the action's own field errors, or toasts, closes and refreshes the page.
 */
export function useFormDialog<S extends z.ZodType, T>({ schema, initial, action, success, initiallyOpen = false, toInput }: FormDialogOptions<S, T>) {
  const router = useRouter();
  const [open, setOpenState] = useState(initiallyOpen);
  const [values, setValues] = useState<z.input<S>>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  function setOpen(next: boolean) {
    setOpenState(next);
    if (next) {
      setValues(initial());
      setErrors({});
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = schema.safeParse(toInput ? toInput(values) : values);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    const input = parsed.data as z.infer<S>;
    startTransition(async () => {
      const result = await action(input);
      if (!result.ok) {
        // A refusal without field errors is kept under "_" for forms that show it inline.
        setErrors(result.fieldErrors ?? { _: [result.error] });
        toast.error(result.error);
        return;
      }
      toast.success(success(result.data, input));
      setOpenState(false);
      router.refresh();
    });
  }

  return {
    open,
    setOpen,
    values,
    set: (patch: Partial<z.input<S>>) => setValues((v) => ({ ...(v as object), ...patch }) as z.input<S>),
    errors,
    err: (field: string) => errors[field],
    pending,
    submit,
  };
}
