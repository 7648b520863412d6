"use client";

import { Pencil } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { updateBudgetAction } from "@/lib/actions/budgets/update-budget";
import { BUDGET_POLICIES, POLICY_LABELS, budgetSchema, type BudgetPolicy } from "@/lib/schemas/budget";

interface BudgetDialogProps {
  organizationId: string;
  name: string;
  monthlyBudget: string | null;
  currency: string;
  policy: BudgetPolicy;
  webhookUrl: string | null;
}

/** Edits an organization's budget (platform admins; the database refuses anyone else). */
export function BudgetDialog(props: BudgetDialogProps) {
  const id = props.organizationId;
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: budgetSchema,
    initial: () => ({
      organizationId: id,
      monthlyBudget: props.monthlyBudget ?? "",
      currency: props.currency,
      policy: props.policy,
      webhookUrl: props.webhookUrl ?? "",
    }),
    action: updateBudgetAction,
    success: () => `Budget of ${props.name} saved; the gateway applies it within a second.`,
  });

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Edit budget of ${props.name}`}>
          <Pencil aria-hidden />
          Edit
        </Button>
      }
      title={<>Budget of {props.name}</>}
      description={
        <>
          Month-to-date spend in this currency is checked on every call. Alerts are recorded at 80 % and 100 % and sent to the webhook, if
          one is set.
        </>
      }
      className="sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Save budget"
      pendingLabel="Saving…"
      cancelVariant="ghost"
    >
      <div className="grid grid-cols-[1fr_7rem] gap-3">
        <Field id={`budget-${id}`} label="Monthly budget" hint="Exact amount; empty = no budget" errors={errors.monthlyBudget}>
          <Input id={`budget-${id}`} inputMode="decimal" value={String(values.monthlyBudget ?? "")} onChange={(e) => set({ monthlyBudget: e.target.value })} className="tabular-nums"
            placeholder="No budget" aria-invalid={Boolean(errors.monthlyBudget)} />
        </Field>
        <Field id={`currency-${id}`} label="Currency" errors={errors.currency}>
          <Input id={`currency-${id}`} value={String(values.currency ?? "")} maxLength={3} onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
            className="font-mono uppercase" aria-invalid={Boolean(errors.currency)} />
        </Field>
      </div>
      <Field id={`policy-${id}`} label="When the budget is spent" errors={errors.policy}>
        <Select value={String(values.policy)} onValueChange={(v) => set({ policy: v as BudgetPolicy })}>
          <SelectTrigger id={`policy-${id}`} className="w-full" aria-invalid={Boolean(errors.policy)}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {BUDGET_POLICIES.map((p) => (
              <SelectItem key={p} value={p}>
                {POLICY_LABELS[p]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </Field>
      <Field id={`webhook-${id}`} label="Alert webhook (optional)" hint="https:// only; alerts are POSTed as signed JSON" errors={errors.webhookUrl}>
        <Input id={`webhook-${id}`} type="url" value={String(values.webhookUrl ?? "")} onChange={(e) => set({ webhookUrl: e.target.value })} className="font-mono text-xs"
          placeholder="https://hooks.example.com/budget" aria-invalid={Boolean(errors.webhookUrl)} />
      </Field>
      {errors.organizationId && <p className="text-xs text-destructive" role="alert">{errors.organizationId.join(" ")}</p>}
    </FormDialog>
  );
}
