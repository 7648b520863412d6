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
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [budget, setBudget] = useState(props.monthlyBudget ?? "");
  const [currency, setCurrency] = useState(props.currency);
  const [policy, setPolicy] = useState<BudgetPolicy>(props.policy);
  const [webhookUrl, setWebhookUrl] = useState(props.webhookUrl ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const id = props.organizationId;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setBudget(props.monthlyBudget ?? "");
      setCurrency(props.currency);
      setPolicy(props.policy);
      setWebhookUrl(props.webhookUrl ?? "");
      setErrors({});
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = budgetSchema.safeParse({ organizationId: id, monthlyBudget: budget, currency, policy, webhookUrl });
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await updateBudgetAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        return;
      }
      toast.success(`Budget of ${props.name} saved; the gateway applies it within a second.`);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Edit budget of ${props.name}`}>
          <Pencil aria-hidden />
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Budget of {props.name}</DialogTitle>
          <DialogDescription>
            Month-to-date spend in this currency is checked on every call. Alerts are recorded at 80 % and 100 % and sent to the webhook, if
            one is set.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <div className="grid grid-cols-[1fr_7rem] gap-3">
            <Field id={`budget-${id}`} label="Monthly budget" hint="Exact amount; empty = no budget" errors={errors.monthlyBudget}>
              <Input id={`budget-${id}`} inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} className="tabular-nums"
                placeholder="No budget" aria-invalid={Boolean(errors.monthlyBudget)} />
            </Field>
            <Field id={`currency-${id}`} label="Currency" errors={errors.currency}>
              <Input id={`currency-${id}`} value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())}
                className="font-mono uppercase" aria-invalid={Boolean(errors.currency)} />
            </Field>
          </div>
          <Field id={`policy-${id}`} label="When the budget is spent" errors={errors.policy}>
            <Select value={policy} onValueChange={(v) => setPolicy(v as BudgetPolicy)}>
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
            <Input id={`webhook-${id}`} type="url" value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} className="font-mono text-xs"
              placeholder="https://hooks.example.com/budget" aria-invalid={Boolean(errors.webhookUrl)} />
          </Field>
          {errors.organizationId && <p className="text-xs text-destructive" role="alert">{errors.organizationId.join(" ")}</p>}
          <DialogFooter>
            <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save budget"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
