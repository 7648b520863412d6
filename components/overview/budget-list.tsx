import Link from "next/link";
import { Decimal } from "decimal.js";
import { formatPercent } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { cn } from "@/lib/utils";
import type { OverviewStats } from "@/lib/db/overview";
import { callsHref, monthRange } from "@/lib/schemas/calls-href";

type Row = OverviewStats["monthToDate"][number];

/** Budget alerts fire at 80 % and 100 % (see the routing budget rule); the bar uses the same steps. */
const WARN_AT = 80;
const OVER_AT = 100;

/** Used share of the budget: spend in the budget's own currency, the figure the gateway enforces. */
function usedPercent(row: Row): number | null {
  if (row.budget === null) return null;
  const budget = new Decimal(row.budget);
  if (budget.lte(0)) return null;
  return new Decimal(row.budgetSpent).div(budget).times(100).toDecimalPlaces(1).toNumber();
}

/**
 * One row per organization, biggest spender first: its month-to-date spend in the reporting
 * currency (amounts without a rate listed apart) and, when it has a budget, the bar against it.
 * No inner scroll: every organization is on the page (and reachable without a scrollable region).
 * `month` (YYYY-MM) links each organization to its calls of that month (drill-down).
 */
export function BudgetList({ rows, currency, month }: { rows: readonly Row[]; currency: string; month?: string }) {
  if (rows.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No organizations visible to you.</p>;
  }
  return (
    <ul className="flex flex-col gap-4">
      {rows.map((row) => {
        const pct = usedPercent(row);
        const labelId = `budget-${row.organizationId}`;
        const foreignBudget = row.budgetCurrency !== currency;
        return (
          <li key={row.organizationId} className="flex min-w-0 flex-col gap-1.5" data-budget-org={row.organizationName}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span id={labelId} className="min-w-0 truncate font-medium">
                {month ? (
                  <Link href={callsHref({ organization: row.organizationId, ...monthRange(month), tz: "UTC" })} className="underline-offset-4 hover:underline" data-drill="calls">
                    {row.organizationName}
                  </Link>
                ) : (
                  row.organizationName
                )}
              </span>
              <Money className="shrink-0 tabular-nums" amount={row.spend.amount} currency={currency} />
            </div>
            <UnconvertedNote unconverted={row.spend.unconverted} className="text-xs text-muted-foreground" />
            {pct === null ? (
              <p className="text-xs text-muted-foreground">No monthly budget</p>
            ) : (
              <>
                <div
                  role="progressbar"
                  aria-labelledby={labelId}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.min(pct, 100)}
                  aria-valuetext={`${formatPercent(pct)} of budget used`}
                  className="h-2 overflow-hidden rounded-full bg-muted"
                >
                  <div
                    className={cn(
                      "h-full rounded-full",
                      pct >= OVER_AT ? "bg-destructive" : pct >= WARN_AT ? "bg-warning" : "bg-chart-1",
                    )}
                    style={{ width: `${Math.min(pct, 100)}%` }}
                  />
                </div>
                <p className="text-xs text-muted-foreground tabular-nums">
                  {formatPercent(pct)} of <Money amount={row.budget} currency={row.budgetCurrency} />
                  {foreignBudget && (
                    <>
                      {" "}
                      (<Money amount={row.budgetSpent} currency={row.budgetCurrency} /> charged in {row.budgetCurrency})
                    </>
                  )}
                  {pct >= OVER_AT && <span className="font-medium text-destructive"> · over budget</span>}
                </p>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
