"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { deleteScopedBudgetAction, saveScopedBudgetAction } from "@/lib/actions/budgets/scoped-budgets";
import type { ScopedBudgetRow, ScopedBudgetsData } from "@/lib/db/budget-scopes";
import { BUDGET_POLICIES, POLICY_LABELS, type BudgetPolicy } from "@/lib/schemas/budget";
import { BUDGET_SCOPES, BUDGET_WINDOWS, SCOPE_NAMES, WINDOW_NAMES, scopedBudgetSchema, type BudgetScopeInput } from "@/lib/schemas/budget-scope";

/**
 * Adds or edits a budget of any scope (platform admins; RLS refuses anyone else). Native selects:
 * keyboard and screen readers get the platform's own list, and the app / key choice follows the
 * scope (keys: those of the chosen organization, or usable by any).
 */
export function ScopedBudgetDialog({ budget, options }: { budget?: ScopedBudgetRow; options: ScopedBudgetsData["options"] }) {
  const key = budget?.id ?? "new";
  const { open, setOpen, values, set, errors, pending, submit } = useFormDialog({
    schema: scopedBudgetSchema,
    initial: () => ({
      id: budget?.id ?? "",
      organizationId: budget?.organizationId ?? options.organizations[0]?.id ?? "",
      scope: budget?.scope ?? "app",
      appId: budget?.appId ?? "",
      apiKeyId: budget?.apiKeyId ?? "",
      window: budget?.window ?? "month",
      amount: budget?.amount ?? "",
      currency: budget?.currency ?? "EUR",
      policy: budget?.policy ?? "alert",
    }),
    action: saveScopedBudgetAction,
    success: () => (budget ? "Budget saved; the gateway applies it within a second." : "Budget added; the gateway applies it within a second."),
  });
  const org = String(values.organizationId ?? "");
  const keys = options.keys.filter((k) => k.organizationId === null || k.organizationId === org);
  const target = budget ? `${budget.organizationName}, ${budget.target}, ${WINDOW_NAMES[budget.window].toLowerCase()}` : "";

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        budget ? (
          <Button variant="outline" size="sm" aria-label={`Edit budget: ${target}`}>
            <Pencil aria-hidden />
            Edit
          </Button>
        ) : (
          <Button size="sm">
            <Plus aria-hidden />
            Add budget
          </Button>
        )
      }
      title={budget ? <>Budget: {target}</> : "Add a budget"}
      description="Spend in the window (the reporting time zone's day or month) is checked on every call; when several budgets apply, the tightest decides."
      className="sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Save budget"
      pendingLabel="Saving…"
      cancelVariant="ghost"
    >
      <Field id={`sb-org-${key}`} label="Organization" errors={errors.organizationId}>
        <NativeSelect id={`sb-org-${key}`} value={org} disabled={Boolean(budget)} onChange={(e) => set({ organizationId: e.target.value, apiKeyId: "" })}>
          {options.organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </NativeSelect>
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`sb-scope-${key}`} label="Applies to" errors={errors.scope}>
          <NativeSelect id={`sb-scope-${key}`} value={String(values.scope)} onChange={(e) => set({ scope: e.target.value as BudgetScopeInput })}>
            {BUDGET_SCOPES.map((s) => <option key={s} value={s}>{SCOPE_NAMES[s]}</option>)}
          </NativeSelect>
        </Field>
        <Field id={`sb-window-${key}`} label="Window" errors={errors.window}>
          <NativeSelect id={`sb-window-${key}`} value={String(values.window)} onChange={(e) => set({ window: e.target.value as "month" | "day" })}>
            {BUDGET_WINDOWS.map((w) => <option key={w} value={w}>{WINDOW_NAMES[w]}</option>)}
          </NativeSelect>
        </Field>
      </div>
      {values.scope === "app" && (
        <Field id={`sb-app-${key}`} label="App" errors={errors.appId}>
          <NativeSelect id={`sb-app-${key}`} value={String(values.appId ?? "")} onChange={(e) => set({ appId: e.target.value })} aria-invalid={Boolean(errors.appId)}>
            <option value="">Choose an app</option>
            {options.apps.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </NativeSelect>
        </Field>
      )}
      {values.scope === "key" && (
        <Field id={`sb-key-${key}`} label="API key" errors={errors.apiKeyId}>
          <NativeSelect id={`sb-key-${key}`} value={String(values.apiKeyId ?? "")} onChange={(e) => set({ apiKeyId: e.target.value })} aria-invalid={Boolean(errors.apiKeyId)}>
            <option value="">Choose a key</option>
            {keys.map((k) => <option key={k.id} value={k.id}>{k.name}</option>)}
          </NativeSelect>
        </Field>
      )}
      <div className="grid grid-cols-[1fr_7rem] gap-3">
        <Field id={`sb-amount-${key}`} label="Amount" hint="Exact; more than 0" errors={errors.amount}>
          <Input id={`sb-amount-${key}`} inputMode="decimal" value={String(values.amount ?? "")} onChange={(e) => set({ amount: e.target.value })}
            className="tabular-nums" aria-invalid={Boolean(errors.amount)} />
        </Field>
        <Field id={`sb-currency-${key}`} label="Currency" errors={errors.currency}>
          <Input id={`sb-currency-${key}`} value={String(values.currency ?? "")} maxLength={3} onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
            className="font-mono uppercase" aria-invalid={Boolean(errors.currency)} />
        </Field>
      </div>
      <Field id={`sb-policy-${key}`} label="When the budget is spent" errors={errors.policy}>
        <NativeSelect id={`sb-policy-${key}`} value={String(values.policy)} onChange={(e) => set({ policy: e.target.value as BudgetPolicy })}>
          {BUDGET_POLICIES.map((p) => <option key={p} value={p}>{POLICY_LABELS[p]}</option>)}
        </NativeSelect>
      </Field>
      {errors._ && <p className="text-xs text-destructive" role="alert">{errors._.join(" ")}</p>}
    </FormDialog>
  );
}

/** Removes a budget after a confirmation (platform admins). */
export function DeleteBudgetButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={`Remove budget: ${label}`}
      disabled={pending}
      onClick={() => {
        if (!window.confirm(`Remove the budget ${label}?`)) return;
        start(async () => {
          const result = await deleteScopedBudgetAction({ id });
          if (!result.ok) toast.error(result.error);
          else {
            toast.success("Budget removed.");
            router.refresh();
          }
        });
      }}
    >
      <Trash2 aria-hidden />
    </Button>
  );
}
