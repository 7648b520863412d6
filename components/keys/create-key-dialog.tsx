"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { OneTimeSecret } from "@/components/dashboard/one-time-secret";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createApiKeyAction } from "@/lib/actions/keys/create-api-key";
import type { KeysPageData } from "@/lib/db/api-keys";
import { createKeySchema, type CreateKeyFormValues } from "@/lib/schemas/api-key";
import { KeyFields } from "./key-fields";

const UNPINNED = "__none";

interface CreateKeyDialogProps {
  apps: KeysPageData["apps"];
  /** Organizations the user may pin keys to (all they see, for platform admins). */
  organizations: KeysPageData["organizations"];
  isPlatformAdmin: boolean;
  /** What empty limits mean (the global defaults; an app or organization may set its own). */
  defaults: KeysPageData["defaults"];
}

export function CreateKeyDialog({ apps, organizations, isPlatformAdmin, defaults }: CreateKeyDialogProps) {
  const router = useRouter();
  const initial = (): CreateKeyFormValues => ({
    appId: apps[0]?.id ?? "",
    // Org admins must pin (the database refuses unpinned keys from them).
    organizationId: isPlatformAdmin ? null : (organizations[0]?.id ?? null),
    name: "",
    scopes: ["llm"],
    rateLimitPerMinute: "",
    maxConcurrent: "",
  });
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<CreateKeyFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof CreateKeyFormValues>(key: K, value: CreateKeyFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Forget the plaintext as soon as the dialog closes: it exists only while shown.
    setPlaintext(null);
    if (next) {
      setValues(initial());
      setErrors({});
    } else router.refresh();
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = createKeySchema.safeParse(values);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await createApiKeyAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        return;
      }
      toast.success(`Key “${parsed.data.name}” created.`);
      setPlaintext(result.data.key);
    });
  }

  const err = (k: string) => errors[k];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm"><Plus /> Create key</Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{plaintext ? "Your new API key" : "Create API key"}</DialogTitle>
          <DialogDescription>
            {plaintext ? "Use it as a Bearer token against /api/llm/*." : "A key belongs to an app; pinned to an organization, every call it makes is attributed to that organization."}
          </DialogDescription>
        </DialogHeader>
        {plaintext ? (
          <>
            <OneTimeSecret noun="key" value={plaintext} testId="new-api-key" storage="Only its prefix and a SHA-256 hash are stored. If it is lost, revoke it and create a new one." />
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <KeyFields idPrefix="key" values={values} errors={errors} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} isPlatformAdmin={isPlatformAdmin} defaults={defaults}>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field id="key-app" label="App" errors={err("appId")}>
                  <Select value={values.appId} onValueChange={(v) => set("appId", v)}>
                    <SelectTrigger id="key-app" className="w-full" aria-invalid={Boolean(err("appId"))}><SelectValue placeholder="Choose an app" /></SelectTrigger>
                    <SelectContent>{apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}</SelectContent>
                  </Select>
                </Field>
                <Field id="key-org" label="Organization" errors={err("organizationId")}>
                  <Select value={values.organizationId ?? UNPINNED} onValueChange={(v) => set("organizationId", v === UNPINNED ? null : v)}>
                    <SelectTrigger id="key-org" className="w-full" aria-invalid={Boolean(err("organizationId"))}><SelectValue /></SelectTrigger>
                    <SelectContent>
                      {isPlatformAdmin && <SelectItem value={UNPINNED}>Not pinned (caller names it)</SelectItem>}
                      {organizations.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
                    </SelectContent>
                  </Select>
                </Field>
              </div>
            </KeyFields>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>Cancel</Button>
              <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create key"}</Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
