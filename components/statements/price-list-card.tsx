"use client";

import { Trash2 } from "lucide-react";
import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { TableCard } from "@/components/dashboard/table-card";
import { formatPrice } from "@/components/format";
import { Button } from "@/components/ui/button";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { deleteClientPriceAction } from "@/lib/actions/statements/delete-client-price";
import type { ClientPriceRow } from "@/lib/db/statements";
import { ClientPriceDialog } from "./client-price-dialog";

/** The organization's client price list; platform admins add and remove rows. */
export function PriceListCard({ organizationId, organizationName, currency, prices, models, canEdit }: {
  organizationId: string;
  organizationName: string;
  currency: string;
  prices: ClientPriceRow[];
  models: { id: string; label: string }[];
  canEdit: boolean;
}) {
  return (
    <TableCard
      title={<>Client price list</>}
      description="Per million tokens; a model listed here is priced from its tokens instead of provider cost plus markup."
      action={canEdit ? <ClientPriceDialog organizationId={organizationId} organizationName={organizationName} currency={currency} models={models} /> : undefined}
      isEmpty={prices.length === 0}
      emptyText="No client prices: every model is billed at provider cost plus markup."
      tableProps={{ "aria-label": "Client price list" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead>From</TableHead>
          <TableHead className="text-right">Input</TableHead>
          <TableHead className="text-right">Output</TableHead>
          <TableHead className="text-right">Cached</TableHead>
          <TableHead className="text-right">Write 5m / 1h</TableHead>
          {canEdit && <TableHead><span className="sr-only">Actions</span></TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {prices.map((p) => (
          <TableRow key={p.id}>
            <TableCell className="font-mono text-xs">{p.providerCode} / {p.modelCode}</TableCell>
            <TableCell className="tabular-nums">{p.effectiveFrom}</TableCell>
            <TableCell className="text-right tabular-nums">{formatPrice(p.inputPerMtok, p.currency)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatPrice(p.outputPerMtok, p.currency)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatPrice(p.cachedInputPerMtok ?? p.inputPerMtok, p.currency)}</TableCell>
            <TableCell className="text-right tabular-nums">
              {formatPrice(p.cacheWritePerMtok ?? p.inputPerMtok, p.currency)} / {p.cacheWrite1hPerMtok ? formatPrice(p.cacheWrite1hPerMtok, p.currency) : "2× input"}
            </TableCell>
            {canEdit && (
              <TableCell className="text-right">
                <ConfirmActionDialog
                  trigger={<Button variant="ghost" size="sm" aria-label={`Remove client price of ${p.modelCode} from ${p.effectiveFrom}`}><Trash2 aria-hidden /></Button>}
                  title="Remove this client price?"
                  description="Drafts fall back to provider cost plus markup for this model; closed statements keep what they froze, and the difference shows as an adjustment."
                  confirmLabel="Remove"
                  run={() => deleteClientPriceAction({ organizationId, id: p.id })}
                  success="Client price removed."
                />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
