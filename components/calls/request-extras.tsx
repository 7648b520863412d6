import { formatTimestamp } from "@/components/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CallFeedback, TraceStep } from "@/lib/db/calls";

export function RoutingTrace({ steps }: { steps: TraceStep[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Routing trace</CardTitle>
      </CardHeader>
      <CardContent>
        {steps.length === 0 ? (
          <p className="text-sm text-muted-foreground">No trace was recorded for this request.</p>
        ) : (
          <ol className="space-y-2">
            {steps.map((s, i) => (
              <li key={i} className="flex flex-wrap gap-2 text-sm">
                <span className="font-mono">{s.rule}</span>
                <span className="text-muted-foreground">{s.outcome}</span>
                {s.detail ? <span>{s.detail}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

export function RequestFeedback({ rows }: { rows: CallFeedback[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Feedback</CardTitle>
      </CardHeader>
      <CardContent>
        {rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">No feedback for this request.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Time</TableHead>
                <TableHead>Score</TableHead>
                <TableHead>Correct</TableHead>
                <TableHead>Model</TableHead>
                <TableHead>Source</TableHead>
                <TableHead>Comment</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((f) => (
                <TableRow key={f.id}>
                  <TableCell className="text-xs text-muted-foreground">{formatTimestamp(f.createdAt)}</TableCell>
                  <TableCell>{f.qualityScore} / 5</TableCell>
                  <TableCell>{f.isCorrect === null ? "—" : f.isCorrect ? "yes" : "no"}</TableCell>
                  <TableCell>{f.modelCode ?? "—"}</TableCell>
                  <TableCell>{f.source}</TableCell>
                  <TableCell className="whitespace-normal">{f.comment ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
