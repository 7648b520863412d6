import Link from "next/link";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { formatCount, formatMoney, formatTimestamp } from "@/components/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CallRow } from "@/lib/db/calls";
import { filtersToSearch, sortOf, type CallFilters } from "@/lib/schemas/call-filters";
import type { CallSort } from "@/lib/schemas/calls-href";
import { CallDetailsSheet } from "./call-details-sheet";
import { CallStatusBadge } from "./status-badge";

/**
 * The call log: the columns that fit 1280 px (time, request with its organization and app, model,
 * status, tokens, cost, latency); everything else is in the row's details sheet. Sortable headers
 * are links (server-side sort in the URL, keyboard reachable); the page restarts at the top.
 */

function SortHeader({ filters, sort, label, align }: { filters: CallFilters; sort: CallSort; label: string; align?: "right" }) {
  const current = sortOf(filters);
  const active = current.sort === sort;
  // First click sorts descending (largest, newest first); clicking the active column flips it.
  const dir = active && current.dir === "desc" ? "asc" : "desc";
  const href = `/calls${filtersToSearch({ ...filters, sort, dir, cursor: undefined })}`;
  const Icon = !active ? ArrowUpDown : current.dir === "desc" ? ArrowDown : ArrowUp;
  return (
    <TableHead className={align === "right" ? "text-right" : undefined} aria-sort={active ? (current.dir === "desc" ? "descending" : "ascending") : "none"}>
      <Link href={href} className="inline-flex items-center gap-1 underline-offset-4 hover:underline">
        {label}
        <span className="sr-only">, sort {sort === "time" ? (dir === "desc" ? "newest" : "oldest") : dir === "desc" ? "largest" : "smallest"} first</span>
        <Icon aria-hidden className="size-3.5" />
      </Link>
    </TableHead>
  );
}

/** "2026-12-06 20:41:59 UTC" as the date above the time, so the column stays narrow. */
function TwoLines({ text }: { text: string }) {
  const [first, ...rest] = text.split(" ");
  return (
    <>
      <span className="block">{first}</span>
      <span className="block">{rest.join(" ")}</span>
    </>
  );
}

export function CallsTable({ rows, filters }: { rows: CallRow[]; filters: CallFilters }) {
  if (rows.length === 0) {
    return (
      <p className="rounded-lg border p-8 text-center text-sm text-muted-foreground" role="status">
        No calls match these filters. Widen the dates or{" "}
        <Link href="/calls" className="underline underline-offset-4">
          reset the filters
        </Link>
        .
      </p>
    );
  }
  return (
    <div className="min-w-0 rounded-lg border">
      <Table aria-label="Calls">
        <TableHeader>
          <TableRow>
            <SortHeader filters={filters} sort="time" label="Time" />
            <TableHead>Request</TableHead>
            <TableHead>Model</TableHead>
            <TableHead>Status</TableHead>
            <SortHeader filters={filters} sort="tokens" label="Tokens" align="right" />
            <SortHeader filters={filters} sort="cost" label="Cost" align="right" />
            <SortHeader filters={filters} sort="latency" label="Latency" align="right" />
            <TableHead>
              <span className="sr-only">Details</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-call-id={r.id}>
              <TableCell className="text-xs whitespace-nowrap text-muted-foreground">
                <TwoLines text={formatTimestamp(r.createdAt)} />
              </TableCell>
              <TableCell className="max-w-56">
                <Link href={`/calls/${r.requestId}`} className="font-mono text-xs underline-offset-4 hover:underline">
                  {r.requestId.slice(0, 8)}
                </Link>
                <span className="text-xs text-muted-foreground"> #{r.attempt}</span>
                <span className="block truncate text-xs text-muted-foreground" data-testid="call-org">
                  {r.organizationName ?? "(no organization)"} · {r.appCode ?? "—"} · {r.actionType ?? "—"}
                </span>
              </TableCell>
              <TableCell className="max-w-48 truncate" title={r.modelCode ?? undefined}>
                {r.modelCode ?? "—"}
              </TableCell>
              <TableCell>
                <CallStatusBadge status={r.status} isFallback={r.isFallback} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(r.totalTokens)}</TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums" title={r.cost === null ? undefined : `${r.cost} ${r.currency ?? ""}`}>
                {r.cost === null ? <span className="text-muted-foreground">no cost</span> : formatMoney(r.cost, r.currency, { precision: "call" })}
                {r.pricingSource === "fallback" && <span className="block text-xs text-muted-foreground">fallback price</span>}
              </TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">{r.latencyMs === null ? "—" : `${formatCount(r.latencyMs)} ms`}</TableCell>
              <TableCell className="text-right">
                <CallDetailsSheet row={r} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
