import { TableCard } from "@/components/dashboard/table-card";
import { formatCount, formatMonth } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MoneyTotal, StatementLine } from "@/lib/engine/statement";

/**
 * Statement lines as a table: app × provider × model × action with calls, tokens, provider cost,
 * the client's price (markup or price list) and the amount in the billing currency; adjustments
 * say which month they correct. Amounts without a rate show in their own currency, never as 0.
 */
export function StatementLinesTable({ title, lines, total, billingCurrency, adjustments = false, description }: {
  title: string;
  lines: StatementLine[];
  total: MoneyTotal;
  billingCurrency: string;
  adjustments?: boolean;
  description?: React.ReactNode;
}) {
  return (
    <TableCard title={<>{title}</>} description={description} isEmpty={lines.length === 0} emptyText="No lines." tableProps={{ "aria-label": title }}>
      <TableHeader>
        <TableRow>
          {adjustments && <TableHead>Corrects</TableHead>}
          <TableHead>Model</TableHead>
          <TableHead>Action</TableHead>
          <TableHead className="text-right">Calls</TableHead>
          <TableHead className="text-right">Tokens in / out</TableHead>
          <TableHead className="text-right">Provider cost</TableHead>
          <TableHead>Pricing</TableHead>
          <TableHead className="text-right">Rate</TableHead>
          <TableHead className="text-right">Amount ({billingCurrency})</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l, i) => (
          <TableRow key={i} data-kind={l.kind}>
            {adjustments && <TableCell className="tabular-nums">{l.correctsMonth ? formatMonth(l.correctsMonth.slice(0, 7)) : "—"}</TableCell>}
            <TableCell className="font-mono text-xs">{l.providerCode ?? "—"} / {l.modelCode ?? "(none)"}{!adjustments ? null : <span className="sr-only"> for {l.appName ?? "no app"}</span>}</TableCell>
            <TableCell>{l.actionType ?? "(none)"}</TableCell>
            <TableCell className="text-right tabular-nums">
              {formatCount(l.calls)}
              {l.callsWithoutCost > 0 && <span className="block text-xs text-muted-foreground">{formatCount(l.callsWithoutCost)} without cost</span>}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(l.tokens.prompt)} / {formatCount(l.tokens.completion)}</TableCell>
            <TableCell className="text-right tabular-nums"><Money amount={l.providerCost} currency={l.currency} precision="call" /></TableCell>
            <TableCell>{l.pricing === "price_list" ? <Badge variant="secondary">Price list</Badge> : <Badge variant="outline">Markup</Badge>}</TableCell>
            <TableCell className="text-right font-mono text-xs">{l.rate ?? (l.sourceAmount === null ? "—" : "no rate")}</TableCell>
            <TableCell className="text-right tabular-nums">
              {l.amount !== null ? <Money amount={l.amount} currency={billingCurrency} precision="call" /> : l.sourceAmount !== null ? (
                <span data-testid="not-converted"><Money amount={l.sourceAmount} currency={l.sourceCurrency} precision="call" /> not converted</span>
              ) : "not billed: no cost"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell colSpan={adjustments ? 8 : 7} className="font-medium">{adjustments ? "Adjustments total" : "Subtotal"}</TableCell>
          <TableCell className="text-right font-medium tabular-nums" data-testid={adjustments ? "adjustments-total" : "subtotal"}>
            <Money amount={total.amount} currency={billingCurrency} />
            <UnconvertedNote unconverted={total.unconverted} className="block text-xs font-normal" />
          </TableCell>
        </TableRow>
      </TableFooter>
    </TableCard>
  );
}
