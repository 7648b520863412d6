"use client";

import { Fragment, useState } from "react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { formatPrice, formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PricingModel } from "@/lib/db/pricing";
import { PriceHistory } from "./price-history";

interface PricingTableProps {
  models: PricingModel[];
  /** Model whose history starts expanded (the one named in ?model=). */
  expandedModelId?: string;
  /** Shows "cancel" on scheduled rows; the database decides whether the delete is allowed. */
  canWrite: boolean;
}

export function PricingTable({ models, expandedModelId, canWrite }: PricingTableProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(expandedModelId ? [expandedModelId] : []));
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="w-10"><span className="sr-only">History</span></TableHead>
            <TableHead>Model</TableHead>
            <TableHead>Provider</TableHead>
            <TableHead className="text-right">Input / 1M</TableHead>
            <TableHead className="text-right">Output / 1M</TableHead>
            <TableHead className="text-right">Cached / 1M</TableHead>
            <TableHead>In force since</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {models.map((model) => {
            const current = model.prices.find((p) => p.status === "in_force");
            const open = expanded.has(model.id);
            return (
              <Fragment key={model.id}>
                <TableRow data-model={model.modelCode}>
                  <TableCell>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-expanded={open}
                      aria-controls={`history-${model.id}`}
                      aria-label={`Price history of ${model.modelCode} (${model.prices.length} row${model.prices.length === 1 ? "" : "s"})`}
                      onClick={() => toggle(model.id)}
                      disabled={model.prices.length === 0}
                    >
                      {open ? <ChevronDown /> : <ChevronRight />}
                    </Button>
                  </TableCell>
                  <TableCell>
                    <div className="font-mono text-xs">{model.modelCode}</div>
                    <div className="flex items-center gap-2 text-xs text-muted-foreground">
                      {model.displayName}
                      <Badge variant={model.kind === "embedding" ? "secondary" : "outline"} data-model-kind={model.kind}>{model.kind}</Badge>
                      {!model.enabled && <Badge variant="outline">disabled</Badge>}
                    </div>
                  </TableCell>
                  <TableCell className="text-muted-foreground">{model.providerName}</TableCell>
                  {current ? (
                    <>
                      <TableCell className="text-right tabular-nums">{formatPrice(current.inputPerMtok, current.currency)}</TableCell>
                      <TableCell className="text-right tabular-nums">{formatPrice(current.outputPerMtok, current.currency)}</TableCell>
                      <TableCell className="text-right tabular-nums">{formatPrice(current.cachedInputPerMtok, current.currency)}</TableCell>
                      <TableCell className="text-xs text-muted-foreground">{formatUtc(current.effectiveFrom)}</TableCell>
                    </>
                  ) : (
                    <TableCell colSpan={4}>
                      <Badge variant="warning">No price: built-in fallback table</Badge>
                    </TableCell>
                  )}
                </TableRow>
                {open && (
                  <TableRow id={`history-${model.id}`} className="bg-muted/30 hover:bg-muted/30">
                    <TableCell />
                    <TableCell colSpan={6}>
                      <PriceHistory model={model} canWrite={canWrite} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
