"use client";

import { Pencil, Plus } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { saveProviderAction } from "@/lib/actions/providers/save-provider";
import type { ProviderRow } from "@/lib/db/providers";
import { KEYLESS_KINDS, PROVIDER_KINDS, providerFormSchema, type ProviderFormValues } from "@/lib/schemas/llm-provider";

const KIND_LABELS: Record<(typeof PROVIDER_KINDS)[number], string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  mistral: "Mistral",
  google: "Google Gemini",
  openrouter: "OpenRouter",
  openai_compatible: "OpenAI-compatible (Ollama, vLLM, LM Studio, Azure…)",
  mock: "Mock (tests and demos)",
};

function initialValues(provider?: ProviderRow): ProviderFormValues {
  if (!provider) return { code: "", name: "", kind: "openai", baseUrl: "", apiKeyEnvVar: "", timeoutMs: "60000", maxRetries: "2" };
  return {
    id: provider.id,
    code: provider.code,
    name: provider.name,
    kind: provider.kind as ProviderFormValues["kind"],
    baseUrl: provider.baseUrl ?? "",
    apiKeyEnvVar: provider.apiKeyEnvVar ?? "",
    timeoutMs: String(provider.timeoutMs),
    maxRetries: String(provider.maxRetries),
  };
}

/** Adds a provider (no `provider`) or edits one: kind, base URL, key variable name, timeout, retries. */
export function ProviderFormDialog({ provider }: { provider?: ProviderRow }) {
  const editing = Boolean(provider);
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: providerFormSchema,
    initial: () => initialValues(provider),
    action: saveProviderAction,
    success: (data, input) => (data.created ? `Provider ${input.code} added.` : `Provider ${input.code} saved.`),
  });
  const idp = `provider-${provider?.code ?? "new"}`;
  const title = provider ? `Edit provider ${provider.code}` : "Add provider";

  const keyless = KEYLESS_KINDS.includes(String(values.kind));
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        provider ? (
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Edit provider ${provider.code}`}><Pencil /></Button>
        ) : (
          <Button size="sm"><Plus /> Add provider</Button>
        )
      }
      title={title}
      description={
        <>
          The key stays in the server&apos;s environment; the database only holds the variable&apos;s name, which must end in _API_KEY so
          nobody can point a provider at DATABASE_URL or the Supabase service key. The gateway applies a change within a second.
        </>
      }
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel={editing ? "Save" : "Add provider"}
      pendingLabel="Saving…"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${idp}-code`} label="Code" hint={editing ? "Fixed once created" : "e.g. azure-eu"} errors={err("code")}>
          <Input id={`${idp}-code`} className="font-mono" value={String(values.code ?? "")} disabled={editing} onChange={(e) => set({ code: e.target.value.toLowerCase() })} aria-invalid={Boolean(err("code"))} />
        </Field>
        <Field id={`${idp}-name`} label="Name" errors={err("name")}>
          <Input id={`${idp}-name`} value={String(values.name ?? "")} onChange={(e) => set({ name: e.target.value })} aria-invalid={Boolean(err("name"))} />
        </Field>
      </div>
      <Field id={`${idp}-kind`} label="Kind" hint="The wire protocol the gateway speaks to it" errors={err("kind")}>
        <Select value={String(values.kind)} onValueChange={(v) => set({ kind: v as ProviderFormValues["kind"] })}>
          <SelectTrigger id={`${idp}-kind`} className="w-full" aria-invalid={Boolean(err("kind"))}><SelectValue /></SelectTrigger>
          <SelectContent>{PROVIDER_KINDS.map((k) => <SelectItem key={k} value={k}>{KIND_LABELS[k]}</SelectItem>)}</SelectContent>
        </Select>
      </Field>
      <Field id={`${idp}-url`} label="Base URL" hint={values.kind === "openai_compatible" ? "Required, e.g. http://127.0.0.1:11434/v1" : "Empty = the provider's public endpoint"} errors={err("baseUrl")}>
        <Input id={`${idp}-url`} className="font-mono" inputMode="url" spellCheck={false} value={String(values.baseUrl ?? "")} onChange={(e) => set({ baseUrl: e.target.value })} aria-invalid={Boolean(err("baseUrl"))} />
      </Field>
      <Field id={`${idp}-env`} label="Environment variable name" hint={keyless ? "e.g. OPENAI_API_KEY; empty = no key" : "e.g. OPENAI_API_KEY"} errors={err("apiKeyEnvVar")}>
        <Input id={`${idp}-env`} className="font-mono" autoComplete="off" spellCheck={false} value={String(values.apiKeyEnvVar ?? "")} onChange={(e) => set({ apiKeyEnvVar: e.target.value.toUpperCase() })} aria-invalid={Boolean(err("apiKeyEnvVar"))} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${idp}-timeout`} label="Timeout (ms)" hint="100 – 600,000" errors={err("timeoutMs")}>
          <Input id={`${idp}-timeout`} type="number" min={100} max={600000} value={String(values.timeoutMs ?? "")} onChange={(e) => set({ timeoutMs: e.target.value })} aria-invalid={Boolean(err("timeoutMs"))} />
        </Field>
        <Field id={`${idp}-retries`} label="Retries" hint="0 – 10, on 429, 5xx and timeouts" errors={err("maxRetries")}>
          <Input id={`${idp}-retries`} type="number" min={0} max={10} value={String(values.maxRetries ?? "")} onChange={(e) => set({ maxRetries: e.target.value })} aria-invalid={Boolean(err("maxRetries"))} />
        </Field>
      </div>
    </FormDialog>
  );
}
