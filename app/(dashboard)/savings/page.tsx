import type { Metadata } from "next";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { formatMonth } from "@/components/format";
import { CacheSavingsCard } from "@/components/savings/cache-savings-card";
import { SavingsView } from "@/components/savings/savings-view";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadCacheSavings } from "@/lib/db/cache-savings";
import { loadSavings } from "@/lib/db/savings";
import { callsHref } from "@/lib/schemas/calls-href";
import { getNavItem } from "@/lib/auth/navigation";
import { dayBounds, parseSavingsFilters } from "@/lib/schemas/savings-filters";

const item = getNavItem("/savings");

export const metadata: Metadata = { title: item.title, description: item.description };

interface SavingsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SavingsPage({ searchParams }: SavingsPageProps) {
  const user = await requireSessionUser();
  const parsed = parseSavingsFilters(await searchParams);
  const db = await getDb();
  const { first, last } = dayBounds(parsed.filters);
  const org = parsed.filters.org;
  const data = await loadSavings(db, user.claims, parsed.filters);
  const cache = await loadCacheSavings(db, user.claims, { from: first, to: last, organizationId: org });
  return (
    <FilteredPage
      title={item.title}
      description="What the calls you may see cost, against what the same tokens would have cost on each app's baseline model, per organization and month, from the daily rollups."
      unit="month"
      parsed={parsed}
      organizations={data.organizations}
      fallback="the last 6 months"
      csvRoute="/api/dashboard/savings"
    >
      <div className="flex flex-col gap-6">
        <CacheSavingsCard
          data={cache}
          range={`${formatMonth(parsed.filters.from)} to ${formatMonth(parsed.filters.to)}`}
          callsLink={callsHref({ response_cache: true, organization: org ?? undefined, from: first, to: last })}
        />
        <SavingsView data={data} />
      </div>
    </FilteredPage>
  );
}
