import { formatCount } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OverrideRow } from "@/lib/db/feedback";
import { OVERRIDE_LIMIT } from "@/lib/schemas/learning";
import { ConfidenceBadge } from "./confidence-badge";
import { formatDateTime, formatScore, formatShortDateTime } from "./format";

/** Learned overrides: the active ones (what routing uses now) first, then retired history. */
export function OverridesTable({ rows }: { rows: readonly OverrideRow[] }) {
  const active = rows.filter((r) => r.active).length;
  return (
    <Card className="min-w-0 gap-3">
      <CardHeader>
        <CardTitle className="text-base">Learned overrides</CardTitle>
        <CardDescription>
          {formatCount(active)} active. An active override replaces an app&apos;s default model for one action and query pattern, app-wide
          or for the one organization whose feedback it was learned from; it never replaces a client&apos;s own rule. {rows.length >= OVERRIDE_LIMIT ? `Showing the latest ${OVERRIDE_LIMIT}.` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {rows.length === 0 ? (
          <p className="px-6 text-sm text-muted-foreground sm:px-0">No learned overrides yet. A retrain creates them from feedback.</p>
        ) : (
          <Table aria-label="Learned overrides">
            <TableHeader>
              <TableRow>
                <TableHead>App</TableHead>
                <TableHead>Applies to</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Pattern</TableHead>
                <TableHead>Model</TableHead>
                <TableHead>Confidence</TableHead>
                <TableHead className="text-right">Samples</TableHead>
                <TableHead className="text-right">Avg score</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Created (run)</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.id} data-override={`${r.actionType}:${r.queryPattern}`} data-scope={r.organization ?? "app-wide"} className={r.active ? undefined : "text-muted-foreground"}>
                  <TableCell className="font-medium">{r.app}</TableCell>
                  <TableCell>{r.organization ?? <span className="text-muted-foreground">app-wide</span>}</TableCell>
                  <TableCell className="font-mono text-xs">{r.actionType}</TableCell>
                  <TableCell>{r.queryPattern}</TableCell>
                  <TableCell title={r.provider ? `${r.provider} / ${r.model}` : r.model}>{r.model}</TableCell>
                  <TableCell>
                    <ConfidenceBadge confidence={r.confidence} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(r.samples)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatScore(r.avgScore)}</TableCell>
                  <TableCell>{r.active ? <Badge variant="success">active</Badge> : <Badge variant="outline">retired</Badge>}</TableCell>
                  <TableCell className="text-xs leading-5" title={formatDateTime(r.createdAt)}>
                    {formatShortDateTime(r.createdAt)}
                    <br />
                    <span className="font-mono text-muted-foreground" title={r.runId ?? undefined}>
                      {r.runId ? r.runId.slice(0, 8) : "no run"}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
