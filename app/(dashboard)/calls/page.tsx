import type { Metadata } from "next";
import { CallFiltersForm } from "@/components/calls/call-filters-form";
import { CallsTable } from "@/components/calls/calls-table";
import { CallsTotal } from "@/components/calls/calls-total";
import { PageHeader } from "@/components/dashboard/page-header";
import { KeysetPagination } from "@/components/ui/pagination";
import { requireSessionUser } from "@/lib/auth/session";
import { listCalls, loadCallFilterOptions, loadCallTotals, resolveCallFilters } from "@/lib/db/calls";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { CALLS_CSV_LIMIT } from "@/lib/reports/calls-csv";
import { filtersToSearch, parseCallFilters } from "@/lib/schemas/call-filters";

const item = getNavItem("/calls");

export const metadata: Metadata = { title: item.title };

export default async function CallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  const db = await getDb();
  const claims = user.claims;
  // Days of the URL's `tz`, else of the reporting time zone; a preset resolved in it.
  const filters = await resolveCallFilters(db, claims, parseCallFilters(await searchParams));
  // One at a time: on PGlite every transaction shares one session anyway.
  const page = await listCalls(db, claims, filters);
  const totals = await loadCallTotals(db, claims, filters);
  const options = await loadCallFilterOptions(db, claims, filters);
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Calls"
        description="Every recorded attempt, newest first unless sorted: filter, search and sort; open a row's details or its request for the routing trace, prices and feedback."
      />
      <CallFiltersForm filters={filters} options={options} />
      {filters.from && filters.to && (
        <p className="-mt-3 text-sm text-muted-foreground" data-testid="range-summary">
          {filters.from === filters.to ? filters.from : `${filters.from} to ${filters.to}`} · {filters.zone ?? "UTC"}
        </p>
      )}
      {/* The file holds the days shown: a preset is written as its days, in the zone they are in. */}
      <CallsTotal totals={totals} csvHref={`/api/dashboard/calls${filtersToSearch({ ...filters, preset: undefined, tz: filters.zone })}`} csvLimit={CALLS_CSV_LIMIT} />
      <CallsTable rows={page.rows} filters={filters} />
      <KeysetPagination
        firstHref={filters.cursor ? `/calls${filtersToSearch(filters)}` : null}
        nextHref={page.nextCursor ? `/calls${filtersToSearch(filters, page.nextCursor)}` : null}
      />
    </div>
  );
}
