import { Decimal } from "decimal.js";
import { TrendChart } from "@/components/charts/trend-chart";
import { formatCount, formatDay, formatMoney, formatMonth, formatPercent } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { CacheSavedSummary } from "@/components/savings/cache-saved-summary";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OrganizationSpend } from "@/lib/db/organization-page";
import { cn } from "@/lib/utils";

/**
 * An organization's month-to-date spend against its budget, in the reporting currency (amounts
 * without a rate listed apart), and its daily trend as a chart with the same figures as a table
 * for screen readers and keyboard users.
 */

const WARN_AT = 80;

function Unconverted({ amounts, what }: { amounts: Record<string, string>; what: string }) {
  const entries = Object.entries(amounts);
  if (entries.length === 0) return null;
  return (
    <p className="text-xs text-muted-foreground" data-testid="unconverted">
      Not in {what} (no conversion rate in <span className="font-mono">reporting.fx_rates</span>):{" "}
      {entries.map(([currency, amount]) => formatMoney(amount, currency, { precision: "call" })).join(", ")}
    </p>
  );
}

function BudgetBar({ spend }: { spend: OrganizationSpend }) {
  const { budget, pct, reportingCurrency } = spend;
  if (budget.amount === null) return <p className="text-sm text-muted-foreground">No monthly budget is set for this organization.</p>;
  const budgetText = formatMoney(budget.amount, budget.currency);
  const converted = budget.currency !== reportingCurrency && budget.inReporting !== null ? ` (${formatMoney(budget.inReporting, reportingCurrency)})` : "";
  if (pct === null) {
    return (
      <p className="text-sm text-muted-foreground">
        Budget {budgetText}
        {converted}, policy {budget.policy}. Spend cannot be compared with it:{" "}
        {budget.inReporting === null ? `there is no rate for ${budget.currency}.` : "part of the spend has no conversion rate."}
      </p>
    );
  }
  const value = new Decimal(pct).toNumber();
  return (
    <div className="flex flex-col gap-1.5">
      <div
        role="progressbar"
        aria-label="Budget used this month"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(value, 100)}
        aria-valuetext={`${formatPercent(value)} of ${budgetText} used`}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn("h-full rounded-full", spend.over ? "bg-destructive" : value >= WARN_AT ? "bg-warning" : "bg-chart-1")}
          style={{ width: `${Math.min(value, 100)}%` }}
        />
      </div>
      <p className="text-xs text-muted-foreground tabular-nums">
        {formatPercent(value)} of {budgetText}
        {converted} · policy {budget.policy}
        {spend.over && <span className="font-medium text-destructive"> · over budget</span>}
      </p>
      {spend.forecast && (
        <p className="text-xs text-muted-foreground tabular-nums" data-testid="organization-forecast">
          Forecast month-end {formatMoney(spend.forecast.monthEnd, budget.currency)}
          {spend.forecast.over && <span className="font-medium text-warning-ink"> · above the budget</span>}
        </p>
      )}
    </div>
  );
}

export function OrganizationSpendCard({ spend, organizationId }: { spend: OrganizationSpend; organizationId: string }) {
  const currency = spend.reportingCurrency;
  return (
    <Card data-testid="organization-spend">
      <CardHeader>
        <h2 className="leading-none font-semibold">Spend this month</h2>
        <CardDescription>
          {formatMonth(spend.month, "long")} to date, in {currency}, converted with the reporting rates as on the Costs page.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
          <p className="text-3xl font-semibold tabular-nums" data-testid="spent">
            {formatMoney(spend.spent.amount, currency)}
          </p>
          <p className="text-sm text-muted-foreground">{formatCount(spend.calls)} calls</p>
          {spend.alerts.map((a) => (
            <Badge key={a.thresholdPct} variant={a.thresholdPct >= 100 ? "destructive" : "outline"}>
              {a.thresholdPct} % alert
            </Badge>
          ))}
        </div>
        <Unconverted amounts={spend.spent.unconverted} what="this total" />
        <BudgetBar spend={spend} />
        <CacheSavedSummary figure={spend.cacheSaved} currency={currency} organizationId={organizationId} />
      </CardContent>
    </Card>
  );
}

export function OrganizationTrendCard({ spend }: { spend: OrganizationSpend }) {
  const currency = spend.reportingCurrency;
  const first = spend.trend[0]?.day;
  const last = spend.trend.at(-1)?.day;
  const empty = spend.trend.every((d) => d.calls === 0);
  return (
    <Card data-testid="organization-trend">
      <CardHeader>
        <h2 className="leading-none font-semibold">Daily trend</h2>
        <CardDescription>
          Cost and calls per day (UTC){first && last ? `, ${formatDay(first, "long")} to ${formatDay(last, "long")}` : ""}.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {empty ? (
          <p className="py-8 text-center text-sm text-muted-foreground">No calls in the last {spend.trend.length} days.</p>
        ) : (
          <>
            <TrendChart data={spend.trend} currency={currency} height={220} />
            <Unconverted amounts={spend.trendUnconverted} what="this chart" />
            <details className="text-sm">
              <summary className="cursor-pointer rounded-sm text-muted-foreground outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
                The same figures as a table
              </summary>
              <div className="mt-2 max-h-72 overflow-auto" tabIndex={0} role="region" aria-label="Daily cost and calls">
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Day</TableHead>
                      <TableHead className="text-right">Cost ({currency})</TableHead>
                      <TableHead className="text-right">Calls</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {spend.trend.map((d) => (
                      <TableRow key={d.day}>
                        <TableCell>{formatDay(d.day, "long")}</TableCell>
                        <TableCell className="text-right tabular-nums">{formatMoney(d.cost, currency, { precision: "call" })}</TableCell>
                        <TableCell className="text-right tabular-nums">{formatCount(d.calls)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </details>
          </>
        )}
      </CardContent>
    </Card>
  );
}
