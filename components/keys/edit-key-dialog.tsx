"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { updateApiKeyAction } from "@/lib/actions/keys/update-api-key";
import type { ApiKeyRow } from "@/lib/db/api-keys";
import { API_KEY_SCOPES, updateKeySchema, type ApiKeyScope, type UpdateKeyFormValues } from "@/lib/schemas/api-key";
import { KeyFields } from "./key-fields";

/** Renames a key or changes its scopes and rate limit; the secret, app and organization stay. */
export function EditKeyDialog({ apiKey, isPlatformAdmin }: { apiKey: ApiKeyRow; isPlatformAdmin: boolean }) {
  const router = useRouter();
  const initial = (): UpdateKeyFormValues => ({
    id: apiKey.id,
    name: apiKey.name,
    scopes: apiKey.scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
    rateLimitPerMinute: apiKey.rateLimitPerMinute === null ? "" : String(apiKey.rateLimitPerMinute),
  });
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<UpdateKeyFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setValues(initial());
      setErrors({});
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = updateKeySchema.safeParse(values);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await updateApiKeyAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        return;
      }
      toast.success(`Key “${parsed.data.name}” saved.`);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="size-8" aria-label={`Edit ${apiKey.name}`}><Pencil /></Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Edit key “{apiKey.name}”</DialogTitle>
          <DialogDescription>
            <span className="font-mono">{apiKey.prefix}…</span> of {apiKey.appName}
            {apiKey.organizationName ? `, pinned to ${apiKey.organizationName}` : ""}. The gateway applies a change within a second; the key itself does not change.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <KeyFields idPrefix={`edit-${apiKey.id}`} values={values} errors={errors} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} isPlatformAdmin={isPlatformAdmin} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
