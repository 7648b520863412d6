import { Download } from "lucide-react";
import { formatCount, formatMoney } from "@/components/format";
import { Button } from "@/components/ui/button";
import type { CallTotals } from "@/lib/db/calls";

/**
 * The total line of the filter: calls, tokens and cost in the reporting currency (converted by the
 * one rule in lib/engine/currency; amounts without a rate listed apart, never added), calls without
 * a cost, and the CSV of exactly these calls, or why there is none.
 */
export function CallsTotal({ totals, csvHref, csvLimit }: { totals: CallTotals; csvHref: string; csvLimit: number }) {
  const unconverted = Object.entries(totals.unconverted).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-label="Total for these filters" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border bg-muted/40 px-4 py-3 text-sm">
      <p className="flex flex-wrap gap-x-4 gap-y-1" data-testid="calls-total">
        <span>
          <strong className="tabular-nums" data-testid="calls-total-count">{formatCount(totals.calls)}</strong> calls
        </span>
        <span>
          <strong className="tabular-nums">{formatCount(Number(totals.tokens))}</strong> tokens
        </span>
        <span title={`${totals.amount} ${totals.currency} exactly`}>
          Cost <strong className="tabular-nums" data-testid="calls-total-cost" data-exact={totals.amount}>{formatMoney(totals.amount, totals.currency, { precision: "call" })}</strong>
          {unconverted.length > 0 && (
            <span className="text-muted-foreground">
              {" "}
              plus {unconverted.map(([currency, amount]) => `${amount} ${currency}`).join(", ")} without a conversion rate
            </span>
          )}
        </span>
        {totals.withoutCost > 0 && (
          <span className="text-muted-foreground">
            <span className="tabular-nums">{formatCount(totals.withoutCost)}</span> without cost (in no amount)
          </span>
        )}
      </p>
      {totals.calls > csvLimit ? (
        <p className="text-muted-foreground">CSV holds at most {formatCount(csvLimit)} calls: narrow the filter to download.</p>
      ) : totals.calls > 0 ? (
        <Button asChild variant="outline" size="sm">
          <a href={csvHref} download>
            <Download aria-hidden /> Download CSV
          </a>
        </Button>
      ) : null}
    </section>
  );
}
