import Link from "next/link";
import { Decimal } from "decimal.js";
import { formatMoney, formatPercent } from "@/components/format";
import { cn } from "@/lib/utils";
import type { OverviewStats } from "@/lib/db/overview";
import { callsHref, monthRange } from "@/lib/schemas/calls-href";

type Row = OverviewStats["monthToDate"][number];

/** Budget alerts fire at 80 % and 100 % (see the routing budget rule); the bar uses the same steps. */
const WARN_AT = 80;
const OVER_AT = 100;

function usedPercent(row: Row): number | null {
  if (row.budget === null) return null;
  const budget = new Decimal(row.budget);
  if (budget.lte(0)) return null;
  return new Decimal(row.spend).div(budget).times(100).toDecimalPlaces(1).toNumber();
}

/** `month` (YYYY-MM) links each organization to its calls of that month (drill-down). */
export function BudgetList({ rows, month }: { rows: readonly Row[]; month?: string }) {
  if (rows.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No organizations visible to you.</p>;
  }
  return (
    <ul className="flex max-h-80 flex-col gap-4 overflow-y-auto pr-1">
      {rows.map((row) => {
        const pct = usedPercent(row);
        const labelId = `budget-${row.organizationId}-${row.currency}`;
        return (
          <li key={`${row.organizationId}:${row.currency}`} className="flex flex-col gap-1.5">
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span id={labelId} className="truncate font-medium">
                {month ? (
                  <Link href={callsHref({ organization: row.organizationId, ...monthRange(month) })} className="underline-offset-4 hover:underline" data-drill="calls">
                    {row.organizationName}
                  </Link>
                ) : (
                  row.organizationName
                )}
              </span>
              <span className="shrink-0 tabular-nums">{formatMoney(row.spend, row.currency)}</span>
            </div>
            {pct === null ? (
              <p className="text-xs text-muted-foreground">No monthly budget in {row.currency}</p>
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
                  {formatPercent(pct)} of {formatMoney(row.budget ?? "0", row.currency)}
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
