import { formatCount } from "@/components/format";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { IncompleteGroup } from "@/lib/db/completeness";

/** Incomplete records grouped by purpose and app (read from llm_calls: purpose is not rolled up). */
export function IncompleteTable({ rows }: { rows: readonly IncompleteGroup[] }) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">No incomplete records in this range.</p>;
  return (
    <ScrollableTable label="Incomplete records by purpose and app">
      <TableHeader>
        <TableRow>
          <TableHead>Purpose</TableHead>
          <TableHead>App</TableHead>
          <TableHead className="text-right">Incomplete</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={`${r.purpose ?? ""}\u0000${r.app ?? ""}`}>
            <TableCell className="font-medium">{r.purpose ?? <span className="text-muted-foreground">(none)</span>}</TableCell>
            <TableCell>{r.app ?? <span className="text-muted-foreground">(no app)</span>}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(r.count)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </ScrollableTable>
  );
}
