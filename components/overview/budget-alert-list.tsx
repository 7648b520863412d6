import { formatMoney, formatMonth, formatShortDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import type { BudgetAlertRow } from "@/lib/db/overview-alerts";

const POLICY: Record<BudgetAlertRow["policy"], string> = {
  alert: "alert only",
  block: "calls blocked",
  downgrade: "downgraded to the cheapest model",
};

/** Recent budget alerts: which organization crossed which share of its monthly budget, and when. */
export function BudgetAlertList({ alerts }: { alerts: readonly BudgetAlertRow[] }) {
  if (alerts.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No budget alerts. Alerts fire at 80 % and 100 % of a monthly budget.</p>;
  }
  return (
    <ul className="flex flex-col divide-y">
      {alerts.map((a) => (
        <li key={a.id} className="flex flex-col gap-1 py-2.5 first:pt-0 last:pb-0" data-alert={`${a.organizationName}:${a.thresholdPct}`}>
          <div className="flex items-center justify-between gap-3 text-sm">
            <span className="truncate font-medium">{a.organizationName}</span>
            <Badge variant={a.thresholdPct >= 100 ? "destructive" : "warning"}>{a.thresholdPct} %</Badge>
          </div>
          <p className="text-xs text-muted-foreground tabular-nums">
            {formatMoney(a.spent, a.currency)} of {formatMoney(a.budget, a.currency)} in {formatMonth(a.month, "long")} · {POLICY[a.policy]}
          </p>
          <p className="text-xs text-muted-foreground">
            <time dateTime={a.createdAt}>{formatShortDateTime(a.createdAt)} UTC</time>
          </p>
        </li>
      ))}
    </ul>
  );
}
