import Link from "next/link";
import { formatCount, formatMonth, formatUtc } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import type { StatementView } from "@/lib/db/statements";
import type { MoneyTotal, StatementLine } from "@/lib/engine/statement";
import { statementHref } from "@/lib/schemas/statement";
import { clientPriceText, pricingText, rateText, tokensByKind } from "./line-detail";
import { PrintButton } from "./print-button";

/**
 * The print-ready statement: A4 (the @page rule), black on white whatever the screen theme, no
 * navigation, tables that keep their rows together and repeat their header across pages. The same
 * lines and totals as the page and the CSV.
 */

const PRINT_CSS = `
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html, body { background: #fff !important; color: #000 !important; }
  thead { display: table-header-group; }
  tr, tbody, .statement-keep { break-inside: avoid; }
}
`;

function Lines({ label, lines, currency, markupPct, adjustments }: { label: string; lines: StatementLine[]; currency: string; markupPct: string; adjustments?: boolean }) {
  const columns = adjustments ? 9 : 7;
  // On a phone the table scrolls inside its own keyboard-reachable region; on paper it fits A4.
  // Each line is its own <tbody>: its figures and its detail line (tokens by kind, calls without
  // cost, pricing rule, client price before conversion: what the page keeps in a row's details)
  // stay together on one page.
  return (
    <ScrollableTable label={label} className="border-collapse text-[11px] print:overflow-visible">
      <thead>
        <tr className="border-b border-black text-left">
          {adjustments && <th className="py-1 pr-2 font-semibold">Corrects</th>}
          {adjustments && <th className="py-1 pr-2 font-semibold">App</th>}
          <th className="py-1 pr-2 font-semibold">Model</th>
          <th className="py-1 pr-2 font-semibold">Action</th>
          <th className="py-1 pr-2 text-right font-semibold">Calls</th>
          <th className="py-1 pr-2 text-right font-semibold">Tokens in / out</th>
          <th className="py-1 pr-2 text-right font-semibold">Provider cost</th>
          <th className="py-1 pr-2 text-right font-semibold">Rate</th>
          <th className="py-1 text-right font-semibold">Amount</th>
        </tr>
      </thead>
      {lines.map((l, i) => (
        <tbody key={i} className="statement-keep border-b border-neutral-300" data-print-line={i}>
          <tr className="align-top">
            {adjustments && <td className="pt-1 pr-2">{l.correctsMonth?.slice(0, 7)}</td>}
            {adjustments && <td className="pt-1 pr-2">{l.appName ?? "(no app)"}</td>}
            <td className="pt-1 pr-2 font-mono">{l.providerCode} / {l.modelCode ?? "(none)"}{l.pricing === "price_list" && " (price list)"}</td>
            <td className="pt-1 pr-2">{l.actionType ?? "(none)"}</td>
            <td className="pt-1 pr-2 text-right tabular-nums">{formatCount(l.calls)}</td>
            <td className="pt-1 pr-2 text-right tabular-nums">{formatCount(l.tokens.prompt)} / {formatCount(l.tokens.completion)}</td>
            <td className="pt-1 pr-2 text-right tabular-nums"><Money amount={l.providerCost} currency={l.currency} precision="call" /></td>
            <td className="pt-1 pr-2 text-right font-mono">{l.rate ?? "—"}</td>
            <td className="pt-1 text-right tabular-nums">
              {l.amount !== null ? <Money amount={l.amount} currency={currency} precision="call" /> : l.sourceAmount !== null ? <><Money amount={l.sourceAmount} currency={l.sourceCurrency} precision="call" /> not converted</> : "no cost"}
            </td>
          </tr>
          <tr>
            <td colSpan={columns} className="pb-1 text-[10px] text-neutral-700" data-testid="print-line-detail">
              {tokensByKind(l).map(([k, v]) => `${k} ${v}`).join(" · ")} · Calls without cost {formatCount(l.callsWithoutCost)} ·{" "}
              {pricingText(l, adjustments ? null : markupPct)} · Client price {clientPriceText(l)} · Rate {rateText(l, currency)}
            </td>
          </tr>
        </tbody>
      ))}
    </ScrollableTable>
  );
}

function TotalRow({ label, total, currency, strong }: { label: string; total: MoneyTotal; currency: string; strong?: boolean }) {
  return (
    <p className={`statement-keep flex justify-between border-t border-black py-1 ${strong ? "text-sm font-bold" : "text-xs font-semibold"}`}>
      <span>{label}</span>
      <span className="text-right tabular-nums">
        <Money amount={total.amount} currency={currency} />
        <UnconvertedNote unconverted={total.unconverted} className="block text-[10px] font-normal" />
      </span>
    </p>
  );
}

export function StatementPrint({ data }: { data: StatementView }) {
  const { summary, organization: org } = data;
  const rates = Object.entries(data.rates).filter(([c]) => c !== data.billingCurrency);
  return (
    <main className="mx-auto flex max-w-[210mm] flex-col gap-5 bg-white p-6 text-black print:max-w-none print:p-0">
      <style>{PRINT_CSS}</style>
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <Link href={statementHref(org.id, data.month)} className="text-sm underline underline-offset-4">Back to the statement</Link>
        <PrintButton />
      </div>
      <header className="statement-keep flex flex-wrap justify-between gap-4 border-b-2 border-black pb-3">
        <div>
          <h1 className="text-xl font-bold">Statement {formatMonth(data.month)}</h1>
          <p className="text-sm">{org.name}</p>
        </div>
        <dl className="text-right text-xs">
          <div><dt className="inline font-semibold">Status: </dt><dd className="inline">{data.status === "closed" ? `closed ${formatUtc(data.closed?.closedAt ?? "")}` : "draft (not final)"}</dd></div>
          <div><dt className="inline font-semibold">Period: </dt><dd className="inline">{formatUtc(data.period.start)} – {formatUtc(data.period.end)} ({data.timeZone})</dd></div>
          <div><dt className="inline font-semibold">Currency: </dt><dd className="inline">{data.billingCurrency}, markup {data.markupPct} %</dd></div>
          {rates.length > 0 && <div><dt className="inline font-semibold">Rates: </dt><dd className="inline font-mono">{rates.map(([c, r]) => `1 ${c} = ${r} ${data.billingCurrency}`).join("; ")}</dd></div>}
        </dl>
      </header>
      {summary.apps.map((app) => (
        <section key={app.appId ?? "none"} className="flex flex-col gap-1">
          <h2 className="text-sm font-bold">{app.appName ?? "(no app)"}</h2>
          <Lines label={`Lines of ${app.appName ?? "(no app)"}`} lines={app.lines} currency={data.billingCurrency} markupPct={data.markupPct} />
          <TotalRow label={`Subtotal ${app.appName ?? "(no app)"}`} total={app.subtotal} currency={data.billingCurrency} />
        </section>
      ))}
      {summary.adjustments.length > 0 && (
        <section className="flex flex-col gap-1">
          <h2 className="text-sm font-bold">Adjustments to closed months</h2>
          <Lines label="Adjustments" lines={summary.adjustments} currency={data.billingCurrency} markupPct={data.markupPct} adjustments />
          <TotalRow label="Adjustments total" total={summary.adjustmentsTotal} currency={data.billingCurrency} />
        </section>
      )}
      {summary.apps.length === 0 && summary.adjustments.length === 0 && <p className="text-sm">No usage in this month.</p>}
      <TotalRow label={`Total (${data.billingCurrency})`} total={summary.total} currency={data.billingCurrency} strong />
      <p className="text-[10px]">
        {formatCount(summary.calls)} calls{summary.callsWithoutCost > 0 && `, ${formatCount(summary.callsWithoutCost)} without cost (not billed)`}. Amounts are exact; shown
        rounded to the cent where the line total allows. Client price: the client price list where set, else provider cost plus markup.
      </p>
    </main>
  );
}
