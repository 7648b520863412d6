"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { setProviderEnvVarAction } from "@/lib/actions/providers/set-provider-env-var";
import { KEYLESS_KINDS, providerEnvVarSchema } from "@/lib/schemas/llm-provider";

interface EnvVarDialogProps {
  id: string;
  code: string;
  kind: string;
  apiKeyEnvVar: string | null;
}

/** Edits the NAME of the server environment variable that holds the provider's key. */
export function EnvVarDialog({ id, code, kind, apiKeyEnvVar }: EnvVarDialogProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(apiKeyEnvVar ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setValue(apiKeyEnvVar ?? "");
      setErrors({});
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = providerEnvVarSchema.safeParse({ id, apiKeyEnvVar: value.trim() });
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await setProviderEnvVarAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        return;
      }
      toast.success(`${code} now reads its key from ${parsed.data.apiKeyEnvVar ?? "no variable"}.`);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="size-7" aria-label={`Edit key variable of ${code}`}><Pencil /></Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Key variable of {code}</DialogTitle>
          <DialogDescription>
            The key itself stays in the server&apos;s environment; the database only holds this name. Names must end in _API_KEY so nobody can
            point a provider at DATABASE_URL or the Supabase service key and have the gateway send that secret to a provider&apos;s URL.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <Field
            id={`env-${id}`}
            label="Environment variable name"
            hint={KEYLESS_KINDS.includes(kind) ? "e.g. OPENAI_API_KEY; empty = no key" : "e.g. OPENAI_API_KEY"}
            errors={errors.apiKeyEnvVar}
          >
            <Input
              id={`env-${id}`}
              className="font-mono"
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value.toUpperCase())}
              aria-invalid={Boolean(errors.apiKeyEnvVar)}
            />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
