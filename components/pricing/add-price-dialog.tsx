"use client";

import type { ReactNode } from "react";
import { AlertTriangle } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { addPriceAction } from "@/lib/actions/pricing/add-price";
import type { PricingModel } from "@/lib/db/pricing";
import { currencyChangeWarning, priceInputSchema, type PriceFormValues } from "@/lib/schemas/model-price";

interface AddPriceDialogProps {
  models: PricingModel[];
  /** Preselected model (e.g. from ?model=<code>); opens the dialog on first render when set. */
  initialModelId?: string;
  trigger: ReactNode;
}

/** The currency of the price in force for a model: what a new price starts in. */
const currencyOf = (model: PricingModel | undefined) => model?.prices.find((p) => p.status === "in_force")?.currency ?? model?.prices[0]?.currency;

function initialValues(models: PricingModel[], modelId: string | undefined): PriceFormValues {
  const model = models.find((m) => m.id === modelId);
  return {
    modelId: model?.id ?? "",
    inputPerMtok: "",
    outputPerMtok: "",
    cachedInputPerMtok: "",
    cacheWritePerMtok: "",
    cacheWrite1hPerMtok: "",
    // A new price keeps the model's currency; another one is an explicit, confirmed choice.
    currency: currencyOf(model) ?? "USD",
    confirmCurrencyChange: false,
    effectiveFrom: "",
    note: "",
  };
}

/** The datetime-local value is read as UTC (the label says so), so server and browser agree. */
const utcIso = (local: string) => (local ? new Date(`${local}:00Z`).toISOString() : "");

export function AddPriceDialog({ models, initialModelId, trigger }: AddPriceDialogProps) {
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: priceInputSchema,
    initial: () => initialValues(models, initialModelId),
    // effectiveFrom holds the datetime-local text while editing; the schema gets it as UTC ISO.
    toInput: (v) => ({ ...v, effectiveFrom: utcIso(String(v.effectiveFrom ?? "")) }),
    action: addPriceAction,
    success: () => "Price added. Earlier rows stay as history; the gateway uses it within a second.",
    initiallyOpen: Boolean(initialModelId),
  });
  const selected = models.find((m) => m.id === values.modelId);
  const current = selected?.prices.find((p) => p.status === "in_force");
  const modelCurrency = currencyOf(selected);
  const currency = String(values.currency ?? "").trim().toUpperCase();
  const switching = Boolean(selected && modelCurrency && /^[A-Z]{3}$/.test(currency) && currency !== modelCurrency);
  // The server's refusal repeats the warning; show it once, in the warning box.
  const currencyErrors = switching ? err("currency")?.filter((e) => !e.includes("stop counting")) : err("currency");

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
      title="Add price"
      description={<>Adds a row to the model&apos;s price history. Calls are priced with the row in force at their time, so earlier calls keep their cost.</>}
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Add price"
      pendingLabel="Adding…"
    >
      <Field id="price-model" label="Model" errors={err("modelId")}>
        <Select
          value={values.modelId}
          onValueChange={(v) => set({ modelId: v, currency: currencyOf(models.find((m) => m.id === v)) ?? values.currency, confirmCurrencyChange: false })}
        >
          <SelectTrigger id="price-model" className="w-full" aria-invalid={Boolean(err("modelId"))}><SelectValue placeholder="Choose a model" /></SelectTrigger>
          <SelectContent>
            {models.map((m) => <SelectItem key={m.id} value={m.id}>{m.modelCode} · {m.providerCode}</SelectItem>)}
          </SelectContent>
        </Select>
      </Field>
      {selected && (
        <p className="text-xs text-muted-foreground" data-testid="price-current">
          {current ? `In force now: ${current.inputPerMtok} / ${current.outputPerMtok} ${current.currency} per 1M tokens.` : "No price yet: calls use the built-in fallback table."}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="price-input" label="Input / 1M" errors={err("inputPerMtok")}>
          <Input id="price-input" inputMode="decimal" value={String(values.inputPerMtok ?? "")} onChange={(e) => set({ inputPerMtok: e.target.value })} aria-invalid={Boolean(err("inputPerMtok"))} />
        </Field>
        <Field id="price-output" label="Output / 1M" errors={err("outputPerMtok")}>
          <Input id="price-output" inputMode="decimal" value={String(values.outputPerMtok ?? "")} onChange={(e) => set({ outputPerMtok: e.target.value })} aria-invalid={Boolean(err("outputPerMtok"))} />
        </Field>
        <Field id="price-cached" label="Cached input / 1M" hint="Optional" errors={err("cachedInputPerMtok")}>
          <Input id="price-cached" inputMode="decimal" value={String(values.cachedInputPerMtok ?? "")} onChange={(e) => set({ cachedInputPerMtok: e.target.value })} aria-invalid={Boolean(err("cachedInputPerMtok"))} />
        </Field>
        <Field id="price-cache-write" label="Cache write / 1M" hint="5-minute writes; optional, empty = input price" errors={err("cacheWritePerMtok")}>
          <Input id="price-cache-write" inputMode="decimal" value={String(values.cacheWritePerMtok ?? "")} onChange={(e) => set({ cacheWritePerMtok: e.target.value })} aria-invalid={Boolean(err("cacheWritePerMtok"))} />
        </Field>
        <Field id="price-cache-write-1h" label="1-hour cache write / 1M" hint="Optional; empty = 2× input price" errors={err("cacheWrite1hPerMtok")}>
          <Input id="price-cache-write-1h" inputMode="decimal" value={String(values.cacheWrite1hPerMtok ?? "")} onChange={(e) => set({ cacheWrite1hPerMtok: e.target.value })} aria-invalid={Boolean(err("cacheWrite1hPerMtok"))} />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="price-currency"
          label="Currency"
          hint={modelCurrency ? `The model is priced in ${modelCurrency}` : "ISO code, e.g. EUR or USD"}
          errors={currencyErrors?.length ? currencyErrors : undefined}
        >
          <Input
            id="price-currency"
            maxLength={3}
            value={String(values.currency ?? "")}
            onChange={(e) => set({ currency: e.target.value.toUpperCase(), confirmCurrencyChange: false })}
            aria-invalid={switching || Boolean(currencyErrors?.length)}
            aria-describedby={switching ? "price-currency-warning" : undefined}
          />
        </Field>
        <Field id="price-from" label="Effective from (UTC)" hint="Empty = now" errors={err("effectiveFrom")}>
          <Input id="price-from" type="datetime-local" value={String(values.effectiveFrom ?? "")} onChange={(e) => set({ effectiveFrom: e.target.value })} aria-invalid={Boolean(err("effectiveFrom"))} />
        </Field>
      </div>
      {switching && selected && modelCurrency && (
        <div id="price-currency-warning" role="alert" data-testid="price-currency-warning" className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm">
          <p className="flex gap-2">
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>{currencyChangeWarning(selected.modelCode, modelCurrency, currency)}</span>
          </p>
          <label className="flex items-center gap-2">
            <input type="checkbox" className="size-4" checked={Boolean(values.confirmCurrencyChange)} onChange={(e) => set({ confirmCurrencyChange: e.target.checked })} />
            <span>Price {selected.modelCode} in {currency} from now on</span>
          </label>
        </div>
      )}
      <Field id="price-note" label="Note" hint="Optional, e.g. where the price comes from" errors={err("note")}>
        <Input id="price-note" value={String(values.note ?? "")} onChange={(e) => set({ note: e.target.value })} />
      </Field>
    </FormDialog>
  );
}
