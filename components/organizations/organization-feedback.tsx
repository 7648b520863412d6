import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatCount } from "@/components/format";
import { formatRate, formatScore } from "@/components/feedback/format";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FeedbackSummary } from "@/lib/db/feedback-summary";

/** Feedback the organization's apps reported over the last days: ratings, average score and correctness per model. */
export function OrganizationFeedbackTable({ summary, organizationId }: { summary: FeedbackSummary; organizationId: string }) {
  return (
    <TableCard
      layout="padded"
      title={<h2>Feedback</h2>}
      description={
        summary.total === 0
          ? `Ratings from ${summary.from} to ${summary.to} (UTC).`
          : `${formatCount(summary.total)} ratings from ${summary.from} to ${summary.to} (UTC), average score ${formatScore(summary.avg_score)}.`
      }
      action={
        <Link href={`/feedback?org=${encodeURIComponent(organizationId)}`} className="text-sm underline underline-offset-4">
          Feedback details
        </Link>
      }
      isEmpty={summary.by_model.length === 0}
      emptyText="No feedback in this period."
      tableProps={{ className: "[overflow-wrap:anywhere]", "aria-label": "Feedback by model", "data-testid": "organization-feedback" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead className="text-right">Ratings</TableHead>
          <TableHead className="text-right">Avg</TableHead>
          <TableHead className="text-right">Correct</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {summary.by_model.map((g) => (
          <TableRow key={g.key}>
            <TableCell className="font-mono text-xs whitespace-normal break-all">{g.key}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(g.count)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(g.avg_score)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatRate(g.correctness_rate)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
