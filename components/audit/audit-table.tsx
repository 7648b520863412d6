import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/db/audit";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

const ACTION_VARIANT = { insert: "secondary", update: "outline", delete: "destructive" } as const;

/** Who changed what and when, with a field-level before/after diff of each change. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) {
    return <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No changes recorded for this filter.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="w-44">When (UTC)</TableHead>
            <TableHead>Who</TableHead>
            <TableHead>What</TableHead>
            <TableHead>Change</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((e) => (
            <TableRow key={e.id} className="align-top">
              <TableCell className="font-mono text-xs whitespace-nowrap">{e.createdAt.replace("T", " ").slice(0, 19)}</TableCell>
              <TableCell className="text-sm">
                <div>{e.actorEmail ?? (e.actorRole === "service" ? "gateway / job" : "—")}</div>
                <div className="text-xs text-muted-foreground">{e.actorRole}</div>
              </TableCell>
              <TableCell className="text-sm">
                <Badge variant={ACTION_VARIANT[e.action]}>{e.action}</Badge>{" "}
                <span className="font-mono text-xs">{e.table}</span>
                {/* The id's first block is enough to tell rows apart; the whole id is in the tooltip. */}
                {e.recordId && <div className="font-mono text-xs text-muted-foreground" title={e.recordId}>{e.recordId.length > 13 ? `${e.recordId.slice(0, 8)}…` : e.recordId}</div>}
              </TableCell>
              <TableCell className="w-full min-w-72 whitespace-normal">
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                  {e.changes.slice(0, 12).map((c) => (
                    <div key={c.field} className="contents">
                      <dt className="font-mono text-muted-foreground">{c.field}</dt>
                      <dd className="font-mono break-all">
                        {e.action !== "insert" && <span className="text-destructive line-through">{show(c.before)}</span>}
                        {e.action === "update" && " → "}
                        {e.action !== "delete" && <span>{show(c.after)}</span>}
                      </dd>
                    </div>
                  ))}
                  {e.changes.length > 12 && <dd className="col-span-2 text-muted-foreground">… {e.changes.length - 12} more fields</dd>}
                </dl>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
