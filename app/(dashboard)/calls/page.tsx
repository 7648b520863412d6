import type { Metadata } from "next";
import { CallFiltersForm } from "@/components/calls/call-filters-form";
import { CallsTable } from "@/components/calls/calls-table";
import { PageHeader } from "@/components/dashboard/page-header";
import { KeysetPagination } from "@/components/ui/pagination";
import { requireSessionUser } from "@/lib/auth/session";
import { listCalls, loadCallFilterOptions } from "@/lib/db/calls";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { filtersToSearch, parseCallFilters } from "@/lib/schemas/call-filters";

const item = getNavItem("/calls");

export const metadata: Metadata = { title: item.title };

export default async function CallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  const filters = parseCallFilters(await searchParams);
  const db = await getDb();
  const claims = user.claims;
  const [page, options] = await Promise.all([listCalls(db, claims, filters), loadCallFilterOptions(db, claims)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Calls" description="Every recorded attempt, newest first: open a request to see its attempts, routing trace, prices and feedback." />
      <CallFiltersForm filters={filters} options={options} />
      <CallsTable rows={page.rows} />
      <KeysetPagination
        firstHref={filters.cursor ? `/calls${filtersToSearch(filters)}` : null}
        nextHref={page.nextCursor ? `/calls${filtersToSearch(filters, page.nextCursor)}` : null}
      />
    </div>
  );
}
