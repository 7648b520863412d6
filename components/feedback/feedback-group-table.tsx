import { TableCard } from "@/components/dashboard/table-card";
import { formatCount } from "@/components/format";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FeedbackGroup } from "@/lib/db/feedback-summary";
import { formatRate, formatScore } from "./format";

interface FeedbackGroupTableProps {
  /** "Model" or "Query pattern". */
  title: string;
  rows: readonly FeedbackGroup[];
}

/** Feedback per model or per query pattern: count, average score, correctness rate. */
export function FeedbackGroupTable({ title, rows }: FeedbackGroupTableProps) {
  const name = `Feedback by ${title.toLowerCase()}`;
  return (
    <TableCard title={name} className="gap-3" isEmpty={rows.length === 0} emptyText="No feedback in this range." tableProps={{ "aria-label": name }}>
      <TableHeader>
        <TableRow>
          <TableHead>{title}</TableHead>
          <TableHead className="text-right">Ratings</TableHead>
          <TableHead className="text-right">Avg score</TableHead>
          <TableHead className="text-right">Correct</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.key}>
            <TableCell className="max-w-64 truncate font-medium" title={r.key}>
              {r.key === "unknown" ? <span className="text-muted-foreground">unknown</span> : r.key}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(r.count)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(r.avg_score)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatRate(r.correctness_rate)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
