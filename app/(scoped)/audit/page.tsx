import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import Link from "next/link";
import { AuditEntries } from "@/components/audit/audit-entries";
import { AuditFilters } from "@/components/audit/audit-filters";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { KeysetPagination } from "@/components/ui/pagination";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { getNavItem } from "@/lib/auth/navigation";
import { AuditSkeleton } from "./skeleton";
import { loadAudit, loadAuditFilterOptions } from "@/lib/db/audit";
import { getDb } from "@/lib/db/instance";
import { loadTimeZone } from "@/lib/db/time-zone";
import { orgParam } from "@/lib/schemas/cost-filters";
import { auditFiltersToSearch, parseAuditFilters } from "@/lib/schemas/audit-filters";

const item = getNavItem("/audit");

export const metadata: Metadata = { title: item.title };

const FILTER_NAMES: Record<string, string> = { area: "Area", actor: "Who", org: "Organization", from: "From", to: "To", q: "Search", before: "Page", range: "Dates" };

/** Who changed what, when, with names and a field-level before → after; filters and search in the URL. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<AuditSkeleton />}>
      <AuditContent user={user} searchParams={searchParams} />
    </Suspense>
  );
}

async function AuditContent({ user, searchParams }: { user: SessionUser; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const db = await getDb();
  const zone = await loadTimeZone(db, user.claims, orgParam(params));
  const { filters, errors } = parseAuditFilters(params, { zone });
  const [{ entries, total, nextBefore }, options] = await Promise.all([
    loadAudit(db, user.claims, filters, 50, zone),
    loadAuditFilterOptions(db, user.claims),
  ]);
  const href = (before?: number) => {
    const s = auditFiltersToSearch(filters, before);
    return s ? `/audit?${s}` : "/audit";
  };
  const errorList = Object.entries(errors);
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title="Audit"
        description="Every configuration change, recorded by the database with who made it: a user's email, the gateway, a named job (job: retrain, job: retention…) or, for earlier entries, the learning job, the retention job or the system (seed, start-up, scripts). Secrets such as key hashes are never recorded."
      />
      <AuditFilters filters={filters} organizations={options.organizations} actors={options.actors} zone={zone} />
      {errorList.length > 0 && (
        <Alert variant="destructive">
          <AlertTitle>Some filters were ignored</AlertTitle>
          <AlertDescription>
            {/* Plain foreground text: the destructive description colour at 90 % fails contrast on a list. */}
            <ul className="list-disc pl-4 text-foreground">
              {errorList.map(([k, message]) => <li key={k}>{FILTER_NAMES[k] ?? k}: {message}</li>)}
            </ul>
          </AlertDescription>
        </Alert>
      )}
      <p role="status" className="text-sm text-muted-foreground">
        {total === 0
          ? "No changes match these filters."
          : `${total.toLocaleString("en-US")} ${total === 1 ? "change matches" : "changes match"}; showing ${entries.length.toLocaleString("en-US")}${filters.before ? " further down the list" : ""}, newest first.`}
      </p>
      {entries.length === 0 ? (
        <div className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          Nothing recorded for these filters.{" "}
          <Link href="/audit" className="underline underline-offset-4">Clear filters</Link>
        </div>
      ) : (
        <AuditEntries entries={entries} />
      )}
      <KeysetPagination firstHref={filters.before ? href() : null} nextHref={nextBefore ? href(nextBefore) : null} />
    </div>
  );
}
