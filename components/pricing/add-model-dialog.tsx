"use client";

import type { ReactNode } from "react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { addModelAction } from "@/lib/actions/pricing/add-model";
import type { PricingPageData } from "@/lib/db/pricing";
import { MODEL_KINDS, modelInputSchema, type ModelFormValues, type ModelKind } from "@/lib/schemas/llm-model";

const EMPTY: ModelFormValues = { providerId: "", modelCode: "", displayName: "", kind: "chat", contextWindow: "", maxOutputTokens: "" };

const KIND_LABEL: Record<ModelKind, string> = { chat: "Chat: chat completions and generate", embedding: "Embedding: /v1/embeddings only" };

export function AddModelDialog({ providers, trigger }: { providers: PricingPageData["providers"]; trigger: ReactNode }) {
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: modelInputSchema,
    initial: () => EMPTY,
    action: addModelAction,
    success: (_data, input) => `Model ${input.modelCode} added. Add a price, or calls use the built-in fallback table.`,
  });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
      title="Add model"
      description="A model of a configured provider; routing rules can use it once it is added."
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Add model"
      pendingLabel="Adding…"
    >
      <Field id="model-provider" label="Provider" errors={err("providerId")}>
        <Select value={values.providerId} onValueChange={(v) => set({ providerId: v })}>
          <SelectTrigger id="model-provider" className="w-full" aria-invalid={Boolean(err("providerId"))}><SelectValue placeholder="Choose a provider" /></SelectTrigger>
          <SelectContent>{providers.map((p) => <SelectItem key={p.id} value={p.id}>{p.name} ({p.code})</SelectItem>)}</SelectContent>
        </Select>
      </Field>
      <Field id="model-kind" label="Kind" hint="Routing never sends a chat call to an embedding model, or the reverse" errors={err("kind")}>
        <Select value={String(values.kind ?? "chat")} onValueChange={(v) => set({ kind: v })}>
          <SelectTrigger id="model-kind" className="w-full" aria-invalid={Boolean(err("kind"))}><SelectValue /></SelectTrigger>
          <SelectContent>{MODEL_KINDS.map((k) => <SelectItem key={k} value={k}>{KIND_LABEL[k]}</SelectItem>)}</SelectContent>
        </Select>
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="model-code" label="Model code" hint="Exactly as the provider's API expects it" errors={err("modelCode")}>
          <Input id="model-code" value={String(values.modelCode ?? "")} onChange={(e) => set({ modelCode: e.target.value })} aria-invalid={Boolean(err("modelCode"))} />
        </Field>
        <Field id="model-name" label="Display name" errors={err("displayName")}>
          <Input id="model-name" value={String(values.displayName ?? "")} onChange={(e) => set({ displayName: e.target.value })} aria-invalid={Boolean(err("displayName"))} />
        </Field>
        <Field id="model-context" label="Context window" hint="Tokens, optional" errors={err("contextWindow")}>
          <Input id="model-context" type="number" min={1} value={String(values.contextWindow ?? "")} onChange={(e) => set({ contextWindow: e.target.value })} aria-invalid={Boolean(err("contextWindow"))} />
        </Field>
        <Field id="model-max-output" label="Max output tokens" hint="Optional" errors={err("maxOutputTokens")}>
          <Input id="model-max-output" type="number" min={1} value={String(values.maxOutputTokens ?? "")} onChange={(e) => set({ maxOutputTokens: e.target.value })} aria-invalid={Boolean(err("maxOutputTokens"))} />
        </Field>
      </div>
    </FormDialog>
  );
}
