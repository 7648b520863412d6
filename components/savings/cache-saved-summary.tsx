import { DatabaseZap } from "lucide-react";
import Link from "next/link";
import { formatCount, formatDay } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import type { Spend } from "@/lib/db/money";
import { callsHref } from "@/lib/schemas/calls-href";

/**
 * "Saved by cache" on the Overview and the organization page (issue 13): what the calls answered
 * from the response cache would have cost this month, the same figure Savings shows for the same
 * days and organizations (lib/db/cache-savings.ts), in the reporting currency with amounts
 * without a rate listed apart, and a link to those calls on Calls (UTC days, as these pages count).
 */
export interface CacheSavedFigure {
  /** Inclusive UTC days. */
  from: string;
  to: string;
  hits: number;
  saved: Spend;
}

export function CacheSavedSummary({
  figure,
  currency,
  organizationId,
}: {
  figure: CacheSavedFigure;
  currency: string;
  /** Narrows the Calls link to one organization (the organization page); RLS decides the rest. */
  organizationId?: string;
}) {
  const range = `${formatDay(figure.from)} to ${formatDay(figure.to)}`;
  const href = callsHref({ response_cache: true, organization: organizationId, from: figure.from, to: figure.to, tz: "UTC" });
  return (
    <div className="flex items-start gap-3 rounded-lg border bg-muted/40 p-3 text-sm" data-testid="cache-saved-summary">
      <DatabaseZap className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
      <div className="min-w-0 space-y-0.5">
        <p>
          <span className="font-medium">Saved by cache this month: </span>
          <span className="font-semibold tabular-nums" data-testid="cache-saved">
            <Money amount={figure.saved.amount} currency={currency} />
          </span>
        </p>
        <p className="text-xs text-muted-foreground">
          {figure.hits === 0 ? (
            <>No calls answered from the response cache, {range}.</>
          ) : (
            <>
              <Link href={href} className="underline underline-offset-2">
                {formatCount(figure.hits)} {figure.hits === 1 ? "call" : "calls"} answered from the cache
              </Link>
              , {range} (UTC): the original calls&apos; cost, not charged again.
            </>
          )}{" "}
          <UnconvertedNote unconverted={figure.saved.unconverted} />
        </p>
      </div>
    </div>
  );
}
