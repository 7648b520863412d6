import type { Metadata } from "next";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { SavingsView } from "@/components/savings/savings-view";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadSavings } from "@/lib/db/savings";
import { getNavItem } from "@/lib/auth/navigation";
import { parseSavingsFilters } from "@/lib/schemas/savings-filters";

const item = getNavItem("/savings");

export const metadata: Metadata = { title: item.title, description: item.description };

interface SavingsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SavingsPage({ searchParams }: SavingsPageProps) {
  const user = await requireSessionUser();
  const parsed = parseSavingsFilters(await searchParams);
  const data = await loadSavings(await getDb(), user.claims, parsed.filters);
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
      <SavingsView data={data} />
    </FilteredPage>
  );
}
