"use client";

import { Pencil } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Button } from "@/components/ui/button";
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
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="ghost" size="icon" className="size-8" aria-label={`Edit ${apiKey.name}`}><Pencil /></Button>}
      title={<>Edit key “{apiKey.name}”</>}
      description={
        <>
          <span className="font-mono">{apiKey.prefix}…</span> of {apiKey.appName}
          {apiKey.organizationName ? `, pinned to ${apiKey.organizationName}` : ""}. The gateway applies a change within a second; the key itself does not change.
        </>
      }
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Save"
      pendingLabel="Saving…"
    >
      <KeyFields idPrefix={`edit-${apiKey.id}`} values={values} errors={errors} onChange={set} isPlatformAdmin={isPlatformAdmin} defaults={apiKey.defaults} />
    </FormDialog>
  );
}
