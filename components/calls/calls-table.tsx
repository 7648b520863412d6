import Link from "next/link";
import { formatCount, formatMoney, formatTimestamp } from "@/components/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CallRow } from "@/lib/db/calls";
import { CallStatusBadge } from "./status-badge";

export function CallsTable({ rows }: { rows: CallRow[] }) {
  if (rows.length === 0) {
    return <p className="rounded-lg border p-8 text-center text-sm text-muted-foreground">No calls match these filters.</p>;
  }
  return (
    <div className="rounded-lg border">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Time</TableHead>
            <TableHead>Request</TableHead>
            <TableHead>Organization</TableHead>
            <TableHead>App · action</TableHead>
            <TableHead>Model</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Tokens</TableHead>
            <TableHead className="text-right">Cost</TableHead>
            <TableHead className="text-right">Latency</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id}>
              <TableCell className="whitespace-nowrap text-xs text-muted-foreground">{formatTimestamp(r.createdAt)}</TableCell>
              <TableCell className="font-mono text-xs">
                <Link href={`/calls/${r.requestId}`} className="underline-offset-4 hover:underline">
                  {r.requestId.slice(0, 8)}
                </Link>
                <span className="text-muted-foreground"> #{r.attempt}</span>
              </TableCell>
              <TableCell>{r.organizationName ?? "—"}</TableCell>
              <TableCell>
                {r.appCode ?? "—"} <span className="text-muted-foreground">· {r.actionType ?? "—"}</span>
              </TableCell>
              <TableCell className="whitespace-nowrap">{r.modelCode ?? "—"}</TableCell>
              <TableCell>
                <CallStatusBadge status={r.status} isFallback={r.isFallback} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(r.totalTokens)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatMoney(r.cost, r.currency, { precision: "call" })}</TableCell>
              <TableCell className="text-right tabular-nums">{r.latencyMs === null ? "—" : `${formatCount(r.latencyMs)} ms`}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
