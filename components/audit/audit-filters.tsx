import Link from "next/link";
import { RangeFilters } from "@/components/dashboard/range-filters";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { AUDIT_AREAS } from "@/lib/engine/audit-areas";
import { auditFiltersToSearch, type AuditFilterValues } from "@/lib/schemas/audit-filters";

/**
 * The Audit page's filters, all in the URL (shareable, reloadable). Period and organization use
 * the dashboards' shared date-range control (presets, custom days of the reporting time zone,
 * plus "All time"), which keeps the other filters on Apply; search, area and who are a plain GET
 * form that keeps the period and organization in hidden fields. A new filter starts at page one.
 * The CSV link carries exactly the filter shown (a preset resolved to its days).
 */

interface AuditFiltersProps {
  filters: AuditFilterValues;
  organizations: readonly { id: string; name: string }[];
  actors: readonly { value: string; label: string }[];
  /** The reporting time zone the days are in. */
  zone: string;
}

const field = "grid min-w-0 gap-1.5 text-sm font-medium";

export function AuditFilters({ filters, organizations, actors, zone }: AuditFiltersProps) {
  const actorKnown = !filters.actor || actors.some((a) => a.value === filters.actor);
  const csv = auditFiltersToSearch(filters, undefined, { resolved: true });
  const hidden = filters.preset ? { preset: filters.preset } : { from: filters.from, to: filters.to };
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <RangeFilters
        unit="day"
        allTime
        filters={{ from: filters.from ?? "", to: filters.to ?? "", org: filters.org ?? null, preset: filters.preset ?? null }}
        organizations={organizations}
        keep={{ area: filters.area, actor: filters.actor, q: filters.q }}
      />
      <form method="get" action="/audit" aria-label="Search and filter entries" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {Object.entries({ ...hidden, org: filters.org }).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <label className={`${field} sm:col-span-2`}>
          Search
          <Input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Name, value, email…" maxLength={100} />
        </label>
        <label className={field}>
          Area
          <NativeSelect name="area" defaultValue={filters.area ?? ""}>
            <option value="">All areas</option>
            {AUDIT_AREAS.map((a) => <option key={a.key} value={a.key}>{a.label}</option>)}
          </NativeSelect>
        </label>
        <label className={field}>
          Who
          <NativeSelect name="actor" defaultValue={filters.actor ?? ""}>
            <option value="">Everyone</option>
            {!actorKnown && <option value={filters.actor}>{filters.actor}</option>}
            {actors.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </NativeSelect>
        </label>
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-4">
          <Button type="submit" variant="secondary">Search</Button>
          <Button asChild variant="ghost">
            <Link href="/audit">Clear filters</Link>
          </Button>
          <Button asChild variant="outline" className="ml-auto">
            <a href={`/api/dashboard/audit${csv ? `?${csv}` : ""}`} download>Download CSV</a>
          </Button>
        </div>
      </form>
      <p className="text-xs text-muted-foreground">
        {filters.from || filters.to ? `Changes from ${filters.from ?? "the start"} to ${filters.to ?? "today"}` : "All changes"}, days and times in {zone}.
      </p>
    </div>
  );
}
