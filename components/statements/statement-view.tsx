import { Download, Printer } from "lucide-react";
import Link from "next/link";
import { formatCount, formatMonth, formatUtc } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { PriceableModel, StatementView as StatementData } from "@/lib/db/statements";
import { statementExportHref, statementHref } from "@/lib/schemas/statement";
import { BillingTermsDialog } from "./billing-terms-dialog";
import { PriceListCard } from "./price-list-card";
import { CloseStatementButton, ReopenStatementDialog } from "./statement-controls";
import { StatementLinesTable } from "./statement-lines-table";
import { StatementStatus } from "./statement-status";

/** One organization's statement for one month: lines per app, adjustments, total, exports, controls. */
export function StatementView({ data, isPlatformAdmin, models }: { data: StatementData; isPlatformAdmin: boolean; models: PriceableModel[] }) {
  const { organization: org, month, summary, terms } = data;
  const latestClosed = data.closedMonths.at(-1);
  const rates = Object.entries(data.rates).filter(([c]) => c !== data.billingCurrency);
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle className="flex flex-wrap items-center gap-2 text-base">
            {org.name} · {formatMonth(month)} <StatementStatus status={data.status} />
          </CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4 text-sm">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
            <div><dt className="text-muted-foreground">Total</dt><dd className="text-lg font-semibold tabular-nums" data-testid="statement-total"><Money amount={summary.total.amount} currency={data.billingCurrency} /> <UnconvertedNote unconverted={summary.total.unconverted} className="block text-xs font-normal" /></dd></div>
            <div><dt className="text-muted-foreground">Billing currency · markup</dt><dd>{data.billingCurrency} · {data.markupPct} %</dd></div>
            <div><dt className="text-muted-foreground">Rates into {data.billingCurrency}</dt><dd className="font-mono text-xs">{rates.length ? rates.map(([c, r]) => `1 ${c} = ${r}`).join(" · ") : "none needed"}</dd></div>
            <div><dt className="text-muted-foreground">Period ({data.timeZone})</dt><dd className="text-xs">{formatUtc(data.period.start)} – {formatUtc(data.period.end)}</dd></div>
            <div><dt className="text-muted-foreground">Calls</dt><dd className="tabular-nums">{formatCount(summary.calls)}{summary.callsWithoutCost > 0 && <> ({formatCount(summary.callsWithoutCost)} without cost, not billed)</>}</dd></div>
            <div>
              <dt className="text-muted-foreground">Status</dt>
              <dd>{data.closed ? <>Closed {formatUtc(data.closed.closedAt)} by {data.closed.closedByEmail ?? "unknown"}</> : "Draft: computed live, changes until closed"}</dd>
            </div>
          </dl>
          {data.status === "draft" && data.adjustmentMonth && data.adjustmentMonth !== month && (
            <p className="text-xs text-muted-foreground">Corrections of closed months appear on the {formatMonth(data.adjustmentMonth)} statement.</p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button asChild size="sm" variant="outline"><Link href={statementHref(org.id, month, "print")}><Printer aria-hidden />Print view</Link></Button>
            <Button asChild size="sm" variant="outline"><a href={statementExportHref(org.id, month, "csv")} download><Download aria-hidden />CSV</a></Button>
            <Button asChild size="sm" variant="outline"><a href={statementExportHref(org.id, month, "focus")} download><Download aria-hidden />FOCUS export</a></Button>
            {isPlatformAdmin && data.status === "draft" && <CloseStatementButton organizationId={org.id} organizationName={org.name} month={month} />}
            {isPlatformAdmin && data.status === "closed" && latestClosed === month && <ReopenStatementDialog organizationId={org.id} organizationName={org.name} month={month} />}
          </div>
        </CardContent>
      </Card>

      {summary.apps.length === 0 && summary.adjustments.length === 0 && (
        <Card><CardContent className="py-8 text-center text-sm text-muted-foreground">No usage in {formatMonth(month)}.</CardContent></Card>
      )}
      {summary.apps.map((app) => (
        <StatementLinesTable key={app.appId ?? "none"} title={`App: ${app.appName ?? "(no app)"}`} lines={app.lines} total={app.subtotal} billingCurrency={data.billingCurrency} markupPct={data.markupPct} />
      ))}
      {summary.adjustments.length > 0 && (
        <StatementLinesTable
          title="Adjustments to closed months"
          description="Changes to closed months since they were closed (late records, repricing, price corrections), priced with the closed statement's terms and rates."
          lines={summary.adjustments}
          total={summary.adjustmentsTotal}
          billingCurrency={data.billingCurrency}
          markupPct={data.markupPct}
          adjustments
        />
      )}

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Billing terms</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <p>
            Current terms: billed in {terms.billingCurrency}{terms.currencyIsDefault && " (the reporting currency)"}, markup {terms.markupPct} % on provider cost.
            {data.status === "closed" && " This closed statement keeps the terms it was closed with."}
          </p>
          {isPlatformAdmin && <BillingTermsDialog organizationId={org.id} organizationName={org.name} billingCurrency={terms.billingCurrency} currencyIsDefault={terms.currencyIsDefault} markupPct={terms.markupPct} />}
        </CardContent>
      </Card>
      <PriceListCard organizationId={org.id} organizationName={org.name} currency={terms.billingCurrency} prices={data.priceList} models={models} canEdit={isPlatformAdmin} />
    </div>
  );
}
