import Link from "next/link";
import { Plus } from "lucide-react";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MissingPriceModel } from "@/lib/db/completeness";
import { callsHref, type CallsLink } from "@/lib/schemas/calls-href";

/** Models whose calls reported tokens but got no cost (no price), or were priced by the built-in table. */
/** Counts link to their calls (drill-down) within `scope` (range and organization). */
function CountLink({ count, link }: { count: number; link: CallsLink }) {
  if (count === 0) return <>{formatCount(count)}</>;
  return (
    <Link href={callsHref(link)} className="underline underline-offset-4" data-drill="calls">
      {formatCount(count)}
    </Link>
  );
}

export function MissingPricesTable({ rows, scope = {} }: { rows: readonly MissingPriceModel[]; scope?: CallsLink }) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">Every model in this range has a database price.</p>;
  return (
    <Table aria-label="Models missing from pricing">
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead className="text-right">Calls without cost</TableHead>
          <TableHead className="text-right">Fallback-priced</TableHead>
          <TableHead className="sr-only">Action</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={`${r.provider ?? ""}/${r.model}`}>
            <TableCell>
              <span className="font-medium">{r.model}</span>
              {r.provider && <span className="block text-xs text-muted-foreground">{r.provider}</span>}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              <CountLink count={r.unpriced} link={{ ...scope, model: r.model, provider: r.provider, without_cost: true }} />
            </TableCell>
            <TableCell className="text-right tabular-nums">
              <CountLink count={r.fallbackPriced} link={{ ...scope, model: r.model, provider: r.provider, fallback_priced: true }} />
            </TableCell>
            <TableCell className="text-right">
              <Button asChild size="sm" variant="outline">
                {/* The accessible name starts with the visible text (WCAG 2.5.3); the model is added for screen readers. */}
                <Link href={`/pricing?model=${encodeURIComponent(r.model)}`}>
                  <Plus aria-hidden />
                  Add price<span className="sr-only"> for {r.model}</span>
                </Link>
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
