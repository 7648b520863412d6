"use client";

import { Plus } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { addClientPriceAction } from "@/lib/actions/statements/add-client-price";
import { clientPriceSchema } from "@/lib/schemas/statement";

const PRICE_FIELDS = [
  ["inputPerMtok", "Input / Mtok", ""],
  ["outputPerMtok", "Output / Mtok", ""],
  ["cachedInputPerMtok", "Cached input / Mtok", "empty = input"],
  ["cacheWritePerMtok", "Cache write 5m / Mtok", "empty = input"],
  ["cacheWrite1hPerMtok", "Cache write 1h / Mtok", "empty = 2× input"],
] as const;

/** A client price for one model from a date, overriding the markup for it (platform admins; audited). */
export function ClientPriceDialog({ organizationId, organizationName, currency, models }: {
  organizationId: string;
  organizationName: string;
  currency: string;
  models: { id: string; label: string }[];
}) {
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: clientPriceSchema,
    initial: () => ({
      organizationId, modelId: models[0]?.id ?? "", inputPerMtok: "", outputPerMtok: "", cachedInputPerMtok: "", cacheWritePerMtok: "",
      cacheWrite1hPerMtok: "", currency, effectiveFrom: new Date().toISOString().slice(0, 8) + "01",
    }),
    action: addClientPriceAction,
    success: () => `Client price added for ${organizationName}.`,
  });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm">
          <Plus aria-hidden />
          Add client price
        </Button>
      }
      title={<>Client price for {organizationName}</>}
      description="Prices per million tokens by kind; from the date on (00:00 UTC) they replace the markup for this model. Reasoning tokens are output tokens."
      className="sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Add price"
      pendingLabel="Adding…"
      cancelVariant="ghost"
    >
      <Field id="cp-model" label="Model" errors={errors.modelId}>
        <NativeSelect id="cp-model" value={String(values.modelId ?? "")} onChange={(e) => set({ modelId: e.target.value })}>
          {models.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </NativeSelect>
      </Field>
      <div className="grid grid-cols-2 gap-3">
        {PRICE_FIELDS.map(([key, label, hint]) => (
          <Field key={key} id={`cp-${key}`} label={label} hint={hint || undefined} errors={errors[key]}>
            <Input id={`cp-${key}`} inputMode="decimal" className="tabular-nums" value={String(values[key] ?? "")} onChange={(e) => set({ [key]: e.target.value })} aria-invalid={Boolean(errors[key])} />
          </Field>
        ))}
        <Field id="cp-currency" label="Currency" errors={errors.currency}>
          <Input id="cp-currency" maxLength={3} className="font-mono uppercase" value={String(values.currency ?? "")} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} />
        </Field>
        <Field id="cp-from" label="Effective from" hint="yyyy-mm-dd" errors={errors.effectiveFrom ?? errors._}>
          <Input id="cp-from" className="tabular-nums" value={String(values.effectiveFrom ?? "")} onChange={(e) => set({ effectiveFrom: e.target.value })} />
        </Field>
      </div>
    </FormDialog>
  );
}
