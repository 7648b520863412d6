"use client";

import { Pencil } from "lucide-react";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { updateApiKeyAction } from "@/lib/actions/keys/update-api-key";
import type { ApiKeyRow } from "@/lib/db/api-keys";
import { API_KEY_SCOPES, updateKeySchema, type ApiKeyScope, type UpdateKeyFormValues } from "@/lib/schemas/api-key";
import { KeyFields } from "./key-fields";

/** Renames a key or changes its scopes and limits; the secret, app and organization stay. */
export function EditKeyDialog({ apiKey, isPlatformAdmin }: { apiKey: ApiKeyRow; isPlatformAdmin: boolean }) {
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: updateKeySchema,
    initial: (): UpdateKeyFormValues => ({
      id: apiKey.id,
      name: apiKey.name,
      scopes: apiKey.scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
      rateLimitPerMinute: apiKey.rateLimitPerMinute === null ? "" : String(apiKey.rateLimitPerMinute),
      maxConcurrent: apiKey.maxConcurrent === null ? "" : String(apiKey.maxConcurrent),
    }),
    action: updateApiKeyAction,
    success: (_data, input) => `Key “${input.name}” saved.`,
  });

  return (
    <Dialog open={open} onOpenChange={setOpen}>
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
          <KeyFields idPrefix={`edit-${apiKey.id}`} values={values} errors={errors} onChange={set} isPlatformAdmin={isPlatformAdmin} defaults={apiKey.defaults} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
