import type { Metadata } from "next";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { formatDay } from "@/components/format";
import { CacheSavingsCard } from "@/components/savings/cache-savings-card";
import { SavingsView } from "@/components/savings/savings-view";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadCacheSavings } from "@/lib/db/cache-savings";
import { loadSavings } from "@/lib/db/savings";
import { callsHref } from "@/lib/schemas/calls-href";
import { getNavItem } from "@/lib/auth/navigation";
import { parseSavingsFilters } from "@/lib/schemas/savings-filters";
import { orgParam } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

const item = getNavItem("/savings");

export const metadata: Metadata = { title: item.title, description: item.description };

interface SavingsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SavingsPage({ searchParams }: SavingsPageProps) {
  const user = await requireSessionUser();
  const params = await searchParams;
  const db = await getDb();
  // Days of the reporting time zone (README "Date ranges"); bad params show the defaults, never an error page.
  const parsed = parseSavingsFilters(params, new Date(), await loadTimeZone(db, user.claims, orgParam(params)));
  const { from, to, org } = parsed.filters;
  const data = await loadSavings(db, user.claims, parsed.filters);
  const cache = await loadCacheSavings(db, user.claims, { from, to, organizationId: org, zone: data.zone });
  return (
    <FilteredPage
      title={item.title}
      description="What the calls you may see cost, against what the same tokens would have cost on each app's baseline model, per organization and day (by month past 93 days)."
      unit="day"
      parsed={parsed}
      organizations={data.organizations}
      fallback="the last 6 months"
      zone={data.zone}
      csvRoute="/api/dashboard/savings"
    >
      <div className="flex flex-col gap-6">
        <CacheSavingsCard
          data={cache}
          range={`${formatDay(from)} to ${formatDay(to)}`}
          callsLink={callsHref({ response_cache: true, organization: org ?? undefined, from, to, tz: data.zone })}
        />
        <SavingsView data={data} />
      </div>
    </FilteredPage>
  );
}
