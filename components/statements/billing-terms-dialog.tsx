"use client";

import { Pencil } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { saveBillingTermsAction } from "@/lib/actions/statements/save-billing-terms";
import { billingTermsSchema } from "@/lib/schemas/statement";

/** Billing currency and markup of one organization (platform admins; audited). */
export function BillingTermsDialog({ organizationId, organizationName, billingCurrency, currencyIsDefault, markupPct }: {
  organizationId: string;
  organizationName: string;
  billingCurrency: string;
  currencyIsDefault: boolean;
  markupPct: string;
}) {
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: billingTermsSchema,
    initial: () => ({ organizationId, billingCurrency: currencyIsDefault ? "" : billingCurrency, markupPct }),
    action: saveBillingTermsAction,
    success: () => `Billing terms of ${organizationName} saved; drafts use them now, closed statements keep theirs.`,
  });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Edit terms of ${organizationName}`}>
          <Pencil aria-hidden />
          Edit terms
        </Button>
      }
      title={<>Billing terms of {organizationName}</>}
      description="The markup applies to provider cost for every model without a client price. Amounts are converted into the billing currency at the reporting rates."
      onSubmit={submit}
      pending={pending}
      submitLabel="Save terms"
      pendingLabel="Saving…"
      cancelVariant="ghost"
    >
      <Field id="terms-currency" label="Billing currency" hint={`Empty = the reporting currency (${currencyIsDefault ? billingCurrency : "from settings"})`} errors={errors.billingCurrency}>
        <Input id="terms-currency" value={String(values.billingCurrency ?? "")} maxLength={3} className="font-mono uppercase"
          onChange={(e) => set({ billingCurrency: e.target.value.toUpperCase() })} aria-invalid={Boolean(errors.billingCurrency)} />
      </Field>
      <Field id="terms-markup" label="Markup (%)" hint="On provider cost, ≥ 0, e.g. 20" errors={errors.markupPct ?? errors._}>
        <Input id="terms-markup" inputMode="decimal" value={String(values.markupPct ?? "")} className="tabular-nums"
          onChange={(e) => set({ markupPct: e.target.value })} aria-invalid={Boolean(errors.markupPct)} />
      </Field>
    </FormDialog>
  );
}
