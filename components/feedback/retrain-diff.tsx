import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { EvidenceView, RetrainView } from "@/lib/learning/diff-view";
import { ConfidenceBadge } from "./confidence-badge";
import { formatRate, formatScore } from "./format";

const KIND = { added: "success", changed: "warning", retired: "outline" } as const;

function Evidence({ e, label }: { e: EvidenceView | null; label: string }) {
  if (!e) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="text-xs leading-5">
      <span className="text-muted-foreground">{label}</span> <span className="font-medium">{e.model}</span>
      <br />
      n={e.samples}, avg {formatScore(e.avgScore)}, correct {formatRate(e.correctRate)}
      <br />
      {/* Per-Mtok prices have more decimals than a money format shows: print the exact decimal. */}
      {e.price && e.currency ? `${e.price} ${e.currency} / Mtok blended` : "no price"}
    </div>
  );
}

/** The diff of a preview or an applied run: what changes, from which model to which, and why. */
export function RetrainDiff({ result }: { result: RetrainView }) {
  const { summary, changes } = result;
  const title = result.dryRun ? "Preview (dry run): nothing was changed" : `Applied in run ${result.runId?.slice(0, 8) ?? ""}`;
  return (
    <section aria-label={result.dryRun ? "Retrain preview" : "Retrain result"} className="flex flex-col gap-3" data-testid="retrain-diff">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <h3 className="font-medium">{title}</h3>
        <Badge variant="success">{summary.added} added</Badge>
        <Badge variant="warning">{summary.changed} changed</Badge>
        <Badge variant="outline">{summary.retired} retired</Badge>
        <span className="text-muted-foreground">
          {summary.unchanged} unchanged, {summary.skipped} skipped · min samples {result.params.minSamples}, threshold{" "}
          {result.params.confidenceThreshold}, tolerance {result.params.tolerance}, app-wide needs {result.params.minOrganizations} organizations
        </span>
      </div>
      {changes.length === 0 ? (
        <p className="text-sm text-muted-foreground">No override would be added, changed or retired with these parameters.</p>
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Retrain changes">
            <TableHeader>
              <TableRow>
                <TableHead>Change</TableHead>
                <TableHead>App / action / pattern</TableHead>
                <TableHead>From → to</TableHead>
                <TableHead>Confidence</TableHead>
                <TableHead>Evidence</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {changes.map((c) => (
                <TableRow key={`${c.kind}:${c.organization ?? ""}:${c.app}:${c.actionType}:${c.queryPattern}`} data-change={c.kind}>
                  <TableCell>
                    <Badge variant={KIND[c.kind]}>{c.kind}</Badge>
                  </TableCell>
                  <TableCell className="text-xs">
                    <span className="font-medium">{c.app}</span>
                    <span className="text-muted-foreground"> · {c.organization ?? "app-wide"}</span>
                    <br />
                    <span className="font-mono">{c.actionType}</span> · {c.queryPattern}
                  </TableCell>
                  <TableCell className="text-xs">
                    {c.fromModel} → <span className="font-medium">{c.toModel}</span>
                    <p className="max-w-72 whitespace-normal text-muted-foreground">{c.reason}</p>
                  </TableCell>
                  <TableCell>
                    <ConfidenceBadge confidence={c.confidence} />
                  </TableCell>
                  <TableCell className="space-y-2">
                    <Evidence e={c.chosen} label={c.kind === "retired" ? "Best:" : "Chosen:"} />
                    <Evidence e={c.baseline} label="Default:" />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {result.skipped.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted-foreground">Skipped patterns ({summary.skipped})</summary>
          <ul className="mt-2 space-y-1 text-xs">
            {result.skipped.map((s) => (
              <li key={`${s.organization ?? ""}:${s.app}:${s.actionType}:${s.queryPattern}`}>
                <span className="font-medium">{s.app}</span> ({s.organization ?? "app-wide"}) <span className="font-mono">{s.actionType}</span> · {s.queryPattern}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
