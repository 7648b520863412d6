import { formatPrice, formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import type { PriceRow, PricingModel } from "@/lib/db/pricing";
import { CancelPriceButton } from "./cancel-price-button";

const STATUS: Record<PriceRow["status"], { label: string; variant: "success" | "secondary" | "outline" }> = {
  in_force: { label: "in force", variant: "success" },
  scheduled: { label: "scheduled", variant: "secondary" },
  superseded: { label: "history", variant: "outline" },
};

/** Every price row of a model, newest first; rows are never edited, only added. */
export function PriceHistory({ model, canWrite }: { model: PricingModel; canWrite: boolean }) {
  return (
    <ol aria-label={`Price history of ${model.modelCode}`} className="grid gap-1.5 py-1">
      {model.prices.map((p) => (
        <li key={p.id} data-price-row className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
          <Badge variant={STATUS[p.status].variant}>{STATUS[p.status].label}</Badge>
          <span className="text-muted-foreground">from {formatUtc(p.effectiveFrom)}</span>
          <span className="tabular-nums">
            in {formatPrice(p.inputPerMtok, p.currency)} · out {formatPrice(p.outputPerMtok, p.currency)}
            {p.cachedInputPerMtok !== null && ` · cached ${formatPrice(p.cachedInputPerMtok, p.currency)}`}
            {p.cacheWritePerMtok !== null && ` · cache write ${formatPrice(p.cacheWritePerMtok, p.currency)}`}
            {p.cacheWrite1hPerMtok !== null
              ? ` · 1h cache write ${formatPrice(p.cacheWrite1hPerMtok, p.currency)}`
              : p.cacheWritePerMtok !== null && " · 1h cache write 2× input"}
          </span>
          <span className="text-muted-foreground">{p.source}{p.note ? ` · ${p.note}` : ""}</span>
          {canWrite && p.status === "scheduled" && <CancelPriceButton id={p.id} label={`${model.modelCode} from ${formatUtc(p.effectiveFrom)}`} />}
        </li>
      ))}
    </ol>
  );
}
