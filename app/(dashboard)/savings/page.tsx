import type { Metadata } from "next";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { SavingsView } from "@/components/savings/savings-view";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadSavings } from "@/lib/db/savings";
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
  const data = await loadSavings(db, user.claims, parsed.filters);
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
      <SavingsView data={data} />
    </FilteredPage>
  );
}
