import { AlertTriangle, Hash, PiggyBank, Scale } from "lucide-react";
import { formatCount } from "@/components/format";
import { Money } from "@/components/money";
import { StatCard } from "@/components/overview/stat-card";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { SavingsData } from "@/lib/db/savings";
import { shownSavingsRows } from "@/lib/reports/savings-csv";
import { callsHref, monthRange } from "@/lib/schemas/calls-href";
import { SavingsChart } from "./savings-chart";
import { SavingsTable } from "./savings-table";

/** The days of a bucket, within the page's range: a day is itself, a month its days in the range. */
function periodDays(period: string, range: { from: string; to: string }): { from: string; to: string } {
  if (period.length !== 7) return { from: period, to: period };
  const month = monthRange(period);
  return { from: month.from < range.from ? range.from : month.from, to: month.to > range.to ? range.to : month.to };
}

/**
 * Drill-down: each row (keyed like SavingsTable's rows) → the calls it covers on the Calls page,
 * on the same days of the same zone (`tz`).
 */
function savingsLinks(data: SavingsData): Record<string, string> {
  const { from, to, org } = data.filters;
  return Object.fromEntries([
    ...data.rows.map((r) => [
      `${r.organization}|${r.period}||${r.currency}`,
      callsHref({ organization: r.organizationId, ...periodDays(r.period, { from, to }), tz: data.zone }),
    ]),
    ...data.apps.map((r) => [`||${r.app}|${r.currency}`, callsHref({ organization: org ?? undefined, app: r.appId, from, to, tz: data.zone })]),
  ]);
}

/** Which currency the page reports in, the rates used, and what stays in its own currency. */
function CurrencyLine({ data }: { data: SavingsData }) {
  const { reporting, currencies } = data;
  const converted = currencies.filter((c) => c.currency !== reporting.currency && c.rate);
  const apart = currencies.filter((c) => !c.rate);
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-muted-foreground">
        Amounts in <span className="font-medium text-foreground">{reporting.currency}</span>
        {reporting.fromSettings.currency ? " (setting reporting.currency)" : " (default; set reporting.currency to change it)"}.{" "}
        {converted.map((c) => `Rate used: 1 ${c.currency} = ${c.rate} ${reporting.currency} (reporting.fx_rates).`).join(" ")} Actual and
        baseline cost of a call are always in the call&apos;s own currency; a call whose baseline model has no price in that currency has no
        baseline and is counted under &ldquo;without baseline&rdquo;.
      </p>
      {apart.length > 0 && (
        <Alert>
          <AlertTriangle aria-hidden />
          <AlertTitle>Some amounts are not converted</AlertTitle>
          <AlertDescription>
            {apart.map((c) => c.currency).join(", ")} {apart.length === 1 ? "has" : "have"} no rate into {reporting.currency}: shown in rows of
            their own and left out of the {reporting.currency} totals and chart. Add a rate in the reporting.fx_rates setting.
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}

export function SavingsView({ data }: { data: SavingsData }) {
  const currency = data.reporting.currency;
  const shown = shownSavingsRows(data);
  const total = shown.find((r) => r.section === "Total" && r.currency === currency);
  const range = `${data.filters.from} to ${data.filters.to} (${data.zone})`;
  const per = data.granularity === "day" ? "day" : "month";
  const calls = data.totals.reduce((n, t) => n + t.calls, 0);
  const compared = data.totals.reduce((n, t) => n + t.compared, 0);

  if (calls === 0) {
    return (
      <Card>
        <CardContent className="py-12 text-center text-sm text-muted-foreground">
          No calls in {range} for the organizations you can see. Savings appear once calls are recorded for an app with a baseline model.
        </CardContent>
      </Card>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <CurrencyLine data={data} />
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3">
        <StatCard
          title={`Savings (${currency})`}
          icon={PiggyBank}
          value={
            <span data-testid="savings-total">
              <Money amount={total?.savings ?? "0"} currency={currency} />
            </span>
          }
          hint={total?.savingsPct ? `${total.savingsPct}% of the baseline cost, ${range}` : range}
        />
        <StatCard
          title={`Actual vs baseline (${currency})`}
          icon={Scale}
          value={
            <>
              <Money amount={total?.actual ?? "0"} currency={currency} /> / <Money amount={total?.baseline ?? "0"} currency={currency} />
            </>
          }
          hint="Of the calls compared only"
        />
        <StatCard
          title="Calls compared"
          icon={Hash}
          value={<span data-testid="savings-compared">{formatCount(compared)}</span>}
          hint={`${formatCount(calls - compared)} of ${formatCount(calls)} calls have no baseline in their currency (or no cost)`}
        />
      </section>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Actual and baseline cost per {per}</CardTitle>
          <CardDescription>{range}, in {currency}. Amounts without a conversion rate are not plotted.</CardDescription>
        </CardHeader>
        <CardContent>
          <SavingsChart data={data.chart} currency={currency} label={`Actual and baseline cost per ${per} in ${currency}, ${range}`} />
        </CardContent>
      </Card>
      <Card className="min-w-0">
        <CardHeader>
          <CardTitle className="text-base">Per organization and {per}</CardTitle>
          <CardDescription>Savings = baseline minus actual cost of the calls compared; negative when the model used cost more.</CardDescription>
        </CardHeader>
        <CardContent className="px-0 sm:px-6">
          <SavingsTable
            label={`Savings per organization and ${per}`}
            by="organization"
            periodLabel={per === "day" ? "Day" : "Month"}
            rows={shown.filter((r) => r.section === "Organization and period")}
            links={savingsLinks(data)}
          />
        </CardContent>
      </Card>
      <Card className="min-w-0">
        <CardHeader>
          <CardTitle className="text-base">Per app</CardTitle>
          <CardDescription>Each app&apos;s baseline model is set on the app; the whole range.</CardDescription>
        </CardHeader>
        <CardContent className="px-0 sm:px-6">
          <SavingsTable label="Savings per app" by="app" rows={shown.filter((r) => r.section === "App")} links={savingsLinks(data)} />
        </CardContent>
      </Card>
    </div>
  );
}
