"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createApiKeyAction } from "@/lib/actions/keys/create-api-key";
import type { KeysPageData } from "@/lib/db/api-keys";
import { createKeySchema, type ApiKeyScope, type CreateKeyFormValues } from "@/lib/schemas/api-key";
import { KeyReveal } from "./key-reveal";

const UNPINNED = "__none";

const SCOPE_HINTS: Record<ApiKeyScope, string> = {
  llm: "call the gateway (/api/llm/*)",
  feedback: "send quality feedback",
  admin: "admin routes: retrain, summaries (platform admins only)",
};

interface CreateKeyDialogProps {
  apps: KeysPageData["apps"];
  /** Organizations the user may pin keys to (all they see, for platform admins). */
  organizations: KeysPageData["organizations"];
  isPlatformAdmin: boolean;
}

export function CreateKeyDialog({ apps, organizations, isPlatformAdmin }: CreateKeyDialogProps) {
  const router = useRouter();
  const initial = (): CreateKeyFormValues => ({
    appId: apps[0]?.id ?? "",
    // Org admins must pin (the database refuses unpinned keys from them).
    organizationId: isPlatformAdmin ? null : (organizations[0]?.id ?? null),
    name: "",
    scopes: ["llm"],
    rateLimitPerMinute: "",
  });
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<CreateKeyFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof CreateKeyFormValues>(key: K, value: CreateKeyFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const scopes: ApiKeyScope[] = isPlatformAdmin ? ["llm", "feedback", "admin"] : ["llm", "feedback"];

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Forget the plaintext as soon as the dialog closes: it exists only while shown.
    setPlaintext(null);
    if (next) {
      setValues(initial());
      setErrors({});
    } else router.refresh();
  }

  function toggleScope(scope: ApiKeyScope, on: boolean) {
    const current = values.scopes ?? [];
    set("scopes", on ? [...current, scope] : current.filter((s) => s !== scope));
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
            <KeyReveal plaintext={plaintext} />
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <Field id="key-name" label="Name" hint="Where it is used, e.g. “werkbon-checker production”" errors={err("name")}>
              <Input id="key-name" value={String(values.name ?? "")} onChange={(e) => set("name", e.target.value)} aria-invalid={Boolean(err("name"))} />
            </Field>
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
            <fieldset className="grid gap-2" aria-describedby={err("scopes") ? "key-scopes-error" : undefined}>
              <legend className="mb-1 text-sm font-medium">Scopes</legend>
              {scopes.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={values.scopes?.includes(scope) ?? false}
                    onChange={(e) => toggleScope(scope, e.target.checked)}
                  />
                  <span className="font-mono">{scope}</span>
                  <span className="text-muted-foreground">— {SCOPE_HINTS[scope]}</span>
                </label>
              ))}
              {err("scopes")?.map((e) => <p key={e} id="key-scopes-error" role="alert" className="text-xs text-destructive">{e}</p>)}
            </fieldset>
            <Field id="key-rate" label="Rate limit (requests per minute)" hint="Empty = the gateway's default" errors={err("rateLimitPerMinute")}>
              <Input id="key-rate" type="number" min={1} value={String(values.rateLimitPerMinute ?? "")} onChange={(e) => set("rateLimitPerMinute", e.target.value)} aria-invalid={Boolean(err("rateLimitPerMinute"))} />
            </Field>
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
