import { TableCard } from "@/components/dashboard/table-card";
import { formatCount, formatMonth } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MoneyTotal, StatementLine } from "@/lib/engine/statement";
import { StatementLineDetails } from "./statement-line-details";

/**
 * Statement lines as a table: app × provider × model × action with calls, provider cost and the
 * amount in the billing currency; adjustments say which month they correct. Narrow enough that
 * every column, the Amount first of all, is in view at 1280 px without scrolling: the action and
 * the pricing rule sit on a second line under the model, and tokens by kind, the client price
 * before conversion and its rate are in each row's details sheet (the print view shows them all).
 * Amounts without a rate show in their own currency, never as 0. On a phone the table scrolls
 * inside its own keyboard-reachable region (ScrollableTable, via TableCard).
 */
export function StatementLinesTable({ title, lines, total, billingCurrency, markupPct, adjustments = false, description }: {
  title: string;
  lines: StatementLine[];
  total: MoneyTotal;
  billingCurrency: string;
  /** The statement's markup, named in each line's details; adjustments carry their own month's terms. */
  markupPct: string;
  adjustments?: boolean;
  description?: React.ReactNode;
}) {
  return (
    <TableCard title={<>{title}</>} description={description} isEmpty={lines.length === 0} emptyText="No lines." tableProps={{ "aria-label": title }}>
      <TableHeader>
        <TableRow>
          {adjustments && <TableHead>Corrects</TableHead>}
          <TableHead>Model and action</TableHead>
          <TableHead className="text-right">Calls</TableHead>
          <TableHead className="text-right">Provider cost</TableHead>
          <TableHead className="text-right">Amount ({billingCurrency})</TableHead>
          <TableHead className="w-10"><span className="sr-only">Details</span></TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l, i) => (
          <TableRow key={i} data-kind={l.kind}>
            {adjustments && <TableCell className="tabular-nums">{l.correctsMonth ? formatMonth(l.correctsMonth.slice(0, 7)) : "—"}</TableCell>}
            <TableCell className="whitespace-normal">
              <div className="font-mono text-xs break-all">
                {l.providerCode ?? "—"} / {l.modelCode ?? "(none)"}
                {adjustments && <span className="sr-only"> for {l.appName ?? "no app"}</span>}
              </div>
              <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
                <span>{l.actionType ?? "(no action)"}</span>
                {l.pricing === "price_list" ? <Badge variant="secondary">Price list</Badge> : <Badge variant="outline">Markup</Badge>}
              </div>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatCount(l.calls)}
              {l.callsWithoutCost > 0 && <span className="block text-xs text-muted-foreground">{formatCount(l.callsWithoutCost)} without cost</span>}
            </TableCell>
            <TableCell className="text-right tabular-nums"><Money amount={l.providerCost} currency={l.currency} precision="call" /></TableCell>
            <TableCell className="text-right tabular-nums">
              {l.amount !== null ? <Money amount={l.amount} currency={billingCurrency} precision="call" /> : l.sourceAmount !== null ? (
                <span data-testid="not-converted"><Money amount={l.sourceAmount} currency={l.sourceCurrency} precision="call" /> not converted</span>
              ) : "not billed: no cost"}
            </TableCell>
            <TableCell className="text-right">
              <StatementLineDetails line={l} billingCurrency={billingCurrency} markupPct={adjustments ? null : markupPct} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell colSpan={adjustments ? 4 : 3} className="font-medium">{adjustments ? "Adjustments total" : "Subtotal"}</TableCell>
          <TableCell className="text-right font-medium tabular-nums" data-testid={adjustments ? "adjustments-total" : "subtotal"}>
            <Money amount={total.amount} currency={billingCurrency} />
            <UnconvertedNote unconverted={total.unconverted} className="block text-xs font-normal" />
          </TableCell>
          <TableCell />
        </TableRow>
      </TableFooter>
    </TableCard>
  );
}
