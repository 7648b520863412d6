import { formatCount } from "@/components/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
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
    <Card className="min-w-0 gap-3">
      <CardHeader>
        <CardTitle className="text-base">{name}</CardTitle>
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {rows.length === 0 ? (
          <p className="px-6 text-sm text-muted-foreground sm:px-0">No feedback in this range.</p>
        ) : (
          <Table aria-label={name}>
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
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
