import { Decimal } from "decimal.js";
import { formatCount, formatPercent } from "@/components/format";
import { Money } from "@/components/money";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { SavingsRow } from "@/lib/db/overview-savings";

function savedPercent(row: SavingsRow): string | null {
  const baseline = new Decimal(row.baselineCost);
  if (baseline.lte(0)) return null;
  return formatPercent(new Decimal(row.savings).div(baseline).times(100).toDecimalPlaces(1).toNumber());
}

/**
 * Month-to-date savings per app and currency against the app's baseline model. Only calls whose
 * baseline cost is known in the same currency are compared; the rest are counted as not compared.
 */
export function SavingsList({ rows }: { rows: readonly SavingsRow[] }) {
  if (rows.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No priced calls this month.</p>;
  }
  return (
    <ScrollableTable label="Savings per app this month">
      <TableHeader>
        <TableRow>
          <TableHead>App and baseline model</TableHead>
          <TableHead className="text-right">Cost</TableHead>
          <TableHead className="text-right">On baseline</TableHead>
          <TableHead className="text-right">Saved</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const compared = row.comparedCalls > 0;
          const savings = new Decimal(row.savings);
          const pct = savedPercent(row);
          return (
            <TableRow key={`${row.appId}:${row.currency}`} data-savings={`${row.appName}:${row.currency}`}>
              <TableCell className="whitespace-normal">
                <div className="font-medium">
                  {row.appName}{" "}
                  {!row.converted && <span className="text-xs font-normal text-muted-foreground">· {row.currency}, not converted: no {row.currency} rate</span>}
                </div>
                <div className="text-xs text-muted-foreground">
                  vs <span className="font-mono break-all">{row.baselineModel ?? "no baseline model set"}</span> ·{" "}
                  <span className="tabular-nums">
                    {formatCount(row.comparedCalls)} of {formatCount(row.pricedCalls)} calls compared
                  </span>
                </div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{compared ? <Money amount={row.cost} currency={row.currency} /> : "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{compared ? <Money amount={row.baselineCost} currency={row.currency} /> : "—"}</TableCell>
              <TableCell
                className={cn(
                  "text-right font-medium tabular-nums",
                  compared && savings.gt(0) && "text-success",
                  compared && savings.lt(0) && "text-destructive",
                )}
              >
                {compared ? (
                  <>
                    <Money amount={row.savings} currency={row.currency} />
                    {pct && <div className="text-xs font-normal text-muted-foreground">{pct}</div>}
                  </>
                ) : (
                  <span className="font-normal text-muted-foreground">not comparable</span>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </ScrollableTable>
  );
}
