import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatCount, formatMoney, formatTimestamp } from "@/components/format";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CallRow } from "@/lib/db/calls";

/** The organization's latest call attempts, each opening its request, and the way to all of them on Calls. */

export function organizationCallsHref(organizationId: string): string {
  return `/calls?organization=${encodeURIComponent(organizationId)}`;
}

export function OrganizationCallsTable({ calls, organizationId }: { calls: readonly CallRow[]; organizationId: string }) {
  return (
    <TableCard
      layout="padded"
      title={<h2>Recent calls</h2>}
      description="The latest recorded attempts; a request opens its routing trace, tokens and cost."
      action={
        <Link href={organizationCallsHref(organizationId)} className="text-sm underline underline-offset-4">
          All calls of this organization
        </Link>
      }
      isEmpty={calls.length === 0}
      emptyText="No calls recorded for this organization yet."
      tableProps={{ className: "[overflow-wrap:anywhere]", "aria-label": "Recent calls", "data-testid": "organization-calls" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>Request</TableHead>
          <TableHead>App · model</TableHead>
          <TableHead className="text-right">Cost · status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {calls.map((c) => (
          <TableRow key={c.id}>
            <TableCell className="align-top whitespace-normal text-xs">
              <Link href={`/calls/${c.requestId}`} className="font-mono underline underline-offset-4" aria-label={`Request ${c.requestId}, attempt ${c.attempt}`}>
                {c.requestId.slice(0, 8)}
              </Link>
              <div className="text-muted-foreground">{formatTimestamp(c.createdAt)}</div>
            </TableCell>
            <TableCell className="align-top whitespace-normal text-xs">
              <div>
                {c.appCode ?? "—"} · <span className="font-mono break-all">{c.actionType ?? "—"}</span>
              </div>
              <div className="font-mono text-muted-foreground break-all">{c.modelCode ?? "—"}</div>
            </TableCell>
            <TableCell className="align-top text-right text-xs whitespace-normal tabular-nums">
              <div>{c.cost === null ? <span className="text-muted-foreground">no cost</span> : formatMoney(c.cost, c.currency, { precision: "call" })}</div>
              <div className="text-muted-foreground">
                {c.status}
                {c.isFallback ? " · fallback" : ""} · {formatCount(c.totalTokens)} tokens
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
