import { TableCard } from "@/components/dashboard/table-card";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RetrainRunRow } from "@/lib/db/feedback";

const TRIGGER = { manual: "Dashboard or admin route", cron: "Nightly cron", api: "Admin app key" } as const;
const STATUS = { succeeded: "success", running: "secondary", failed: "destructive" } as const;

function who(r: RetrainRunRow): string {
  if (r.byYou) return "you";
  if (r.trigger === "cron") return "schedule";
  if (r.trigger === "api") return "an app key";
  return r.hasActor ? "another admin" : "—";
}

const count = (n: number | null) => (n === null ? "—" : String(n));

/** The latest retrain runs. RLS shows them to platform roles and admins only. */
export function RetrainRunsTable({ rows }: { rows: readonly RetrainRunRow[] }) {
  return (
    <TableCard
      title="Retrain runs"
      description="The latest runs that changed overrides. Previews (dry runs) change nothing and are not recorded."
      className="gap-3"
      isEmpty={rows.length === 0}
      emptyText="No retrain runs you can see yet."
      tableProps={{ "aria-label": "Retrain runs" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>When</TableHead>
          <TableHead>Trigger</TableHead>
          <TableHead>By</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Added</TableHead>
          <TableHead className="text-right">Changed</TableHead>
          <TableHead className="text-right">Retired</TableHead>
          <TableHead>Run</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id} data-run={r.id}>
            <TableCell className="whitespace-nowrap text-xs">{formatDateTime(r.createdAt)}</TableCell>
            <TableCell>{TRIGGER[r.trigger]}</TableCell>
            <TableCell>{who(r)}</TableCell>
            <TableCell>{r.dryRun ? "dry run" : "applied"}</TableCell>
            <TableCell>
              <Badge variant={STATUS[r.status]} title={r.error ?? undefined}>
                {r.status}
              </Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">{count(r.added)}</TableCell>
            <TableCell className="text-right tabular-nums">{count(r.changed)}</TableCell>
            <TableCell className="text-right tabular-nums">{count(r.retired)}</TableCell>
            <TableCell className="font-mono text-xs" title={r.id}>
              {r.id.slice(0, 8)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
