import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { AUDIT_AREAS } from "@/lib/engine/audit-areas";
import type { AuditFilterValues } from "@/lib/schemas/audit-filters";

/**
 * Area, actor, organization, UTC dates and a search, submitted as a plain GET form so the filters
 * live in the URL (shareable, reloadable, no JavaScript needed); a new filter starts at page one.
 */

interface AuditFiltersProps {
  filters: AuditFilterValues;
  organizations: readonly { id: string; name: string }[];
  actors: readonly { value: string; label: string }[];
}

const field = "grid min-w-0 gap-1.5 text-sm font-medium";

export function AuditFilters({ filters, organizations, actors }: AuditFiltersProps) {
  const actorKnown = !filters.actor || actors.some((a) => a.value === filters.actor);
  return (
    <form method="get" action="/audit" aria-label="Filters" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-7">
      <label className={`${field} sm:col-span-2 xl:col-span-2`}>
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
      <label className={field}>
        Organization
        <NativeSelect name="org" defaultValue={filters.org ?? ""}>
          <option value="">All visible organizations</option>
          {organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </NativeSelect>
      </label>
      <label className={field}>
        From (UTC)
        <Input type="date" name="from" defaultValue={filters.from ?? ""} />
      </label>
      <label className={field}>
        To (UTC)
        <Input type="date" name="to" defaultValue={filters.to ?? ""} />
      </label>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4 xl:col-span-7">
        <Button type="submit" variant="secondary">Apply</Button>
        <Button asChild variant="ghost">
          <Link href="/audit">Clear filters</Link>
        </Button>
      </div>
    </form>
  );
}
