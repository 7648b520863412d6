import Link from "next/link";
import { Plus } from "lucide-react";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MissingPriceModel } from "@/lib/db/completeness";

/** Models whose calls reported tokens but got no cost (no price), or were priced by the built-in table. */
export function MissingPricesTable({ rows }: { rows: readonly MissingPriceModel[] }) {
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
            <TableCell className="text-right tabular-nums">{formatCount(r.unpriced)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCount(r.fallbackPriced)}</TableCell>
            <TableCell className="text-right">
              <Button asChild size="sm" variant="outline">
                <Link href={`/pricing?model=${encodeURIComponent(r.model)}`} aria-label={`Add price for ${r.model}`}>
                  <Plus aria-hidden />
                  Add price
                </Link>
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
