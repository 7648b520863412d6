import { formatCount, formatMoney } from "@/components/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ShownCostRow } from "@/lib/reports/costs-csv";

interface CostBreakdownTableProps {
  title: string;
  rows: readonly ShownCostRow[];
  currency: string;
}

/** One breakdown (by model, provider…) exactly as exported: same rows, same rounding. */
export function CostBreakdownTable({ title, rows, currency }: CostBreakdownTableProps) {
  const anyUnconverted = rows.some((r) => r.notConverted);
  return (
    <Card className="min-w-0 gap-3">
      <CardHeader>
        <CardTitle className="text-base">Cost by {title.toLowerCase()}</CardTitle>
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {rows.length === 0 ? (
          <p className="px-6 text-sm text-muted-foreground sm:px-0">No calls in this range.</p>
        ) : (
          <Table aria-label={`Cost by ${title.toLowerCase()}`} data-breakdown={title}>
            <TableHeader>
              <TableRow>
                <TableHead>{title}</TableHead>
                <TableHead className="text-right">Calls</TableHead>
                <TableHead className="text-right">Cost ({currency})</TableHead>
                {anyUnconverted && <TableHead className="text-right">Not converted</TableHead>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.name}>
                  <TableCell className="max-w-64 truncate font-medium" title={r.name}>
                    {r.name}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(r.calls)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(r.cost, currency)}</TableCell>
                  {anyUnconverted && (
                    <TableCell className="text-right text-muted-foreground tabular-nums">{r.notConverted || "—"}</TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
