import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatCount } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ShownCostRow } from "@/lib/reports/costs-csv";

interface CostBreakdownTableProps {
  title: string;
  rows: readonly ShownCostRow[];
  currency: string;
  /** Row name → its calls on the Calls page (drill-down). */
  links?: Readonly<Record<string, string>>;
}

/** One breakdown (by model, provider…) exactly as exported: same rows; the cell holds the exact amount (data-amount, title). */
export function CostBreakdownTable({ title, rows, currency, links = {} }: CostBreakdownTableProps) {
  const anyUnconverted = rows.some((r) => Object.keys(r.unconverted).length > 0);
  return (
    <TableCard
      title={<>Cost by {title.toLowerCase()}</>}
      className="gap-3"
      isEmpty={rows.length === 0}
      emptyText="No calls in this range."
      tableProps={{ "aria-label": `Cost by ${title.toLowerCase()}`, "data-breakdown": title }}
    >
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
              {links[r.name] ? (
                <Link href={links[r.name] ?? "/calls"} className="underline-offset-4 hover:underline" data-drill="calls">
                  {r.name}
                </Link>
              ) : (
                r.name
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(r.calls)}</TableCell>
            <TableCell className="text-right tabular-nums" data-cost>
              <Money amount={r.cost} currency={currency} />
            </TableCell>
            {anyUnconverted && (
              <TableCell className="text-right text-muted-foreground tabular-nums">
                {Object.keys(r.unconverted).length > 0 ? <UnconvertedNote unconverted={r.unconverted} /> : "—"}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
