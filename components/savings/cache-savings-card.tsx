import { DatabaseZap } from "lucide-react";
import Link from "next/link";
import { formatCount } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { StatCard } from "@/components/overview/stat-card";
import type { CacheSavings } from "@/lib/db/cache-savings";

/**
 * Savings' "saved by cache" figure (issue 13): what the calls answered from the response cache
 * would have cost at the original call's price, in the reporting currency (amounts without a rate
 * shown apart), with a link to those calls on the Calls page.
 */
export function CacheSavingsCard({ data, range, callsLink }: { data: CacheSavings; range: string; callsLink: string }) {
  const currency = data.reportingCurrency;
  return (
    <section aria-label="Saved by the response cache" className="grid gap-4 sm:grid-cols-3">
      <StatCard
        title={`Saved by cache (${currency})`}
        icon={DatabaseZap}
        value={
          <span data-testid="cache-saved">
            <Money amount={data.saved.amount} currency={currency} />
          </span>
        }
        hint={
          <>
            {data.hits === 0 ? (
              `No calls answered from the response cache, ${range}. Turn it on per app or organization with the cache.ttl_seconds setting.`
            ) : (
              <>
                <Link href={callsLink} className="underline underline-offset-2">
                  {formatCount(data.hits)} {data.hits === 1 ? "call" : "calls"} answered from the cache
                </Link>
                , {range}: the original calls&apos; cost, not charged again.
              </>
            )}{" "}
            <UnconvertedNote unconverted={data.saved.unconverted} />
          </>
        }
      />
    </section>
  );
}
