import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { CallFilterOptions } from "@/lib/db/calls";
import type { CallFilters } from "@/lib/schemas/call-filters";

const selectClass =
  "h-9 w-full rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

/** A native select named like its URL parameter, with "All" (empty) first. */
function FilterSelect({ name, label, value, options }: { name: string; label: string; value: string | null | undefined; options: [value: string, label: string][] }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={`f-${name}`}>{label}</Label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} className={selectClass}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL, so a view can be shared and reloaded. */
export function CallFiltersForm({ filters, options }: { filters: CallFilters; options: CallFilterOptions }) {
  return (
    <form method="get" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filter calls">
      <FilterSelect name="organization" label="Organization" value={filters.organization} options={options.organizations.map((o) => [o.id, o.name])} />
      <FilterSelect name="app" label="App" value={filters.app} options={options.apps.map((a) => [a.id, a.code])} />
      <FilterSelect name="status" label="Status" value={filters.status} options={[["ok", "ok"], ["failed", "failed"]]} />
      <FilterSelect name="model" label="Model" value={filters.model} options={options.models.map((m) => [m, m])} />
      <div className="space-y-1.5">
        <Label htmlFor="f-from">From</Label>
        <Input id="f-from" name="from" type="date" defaultValue={filters.from ?? ""} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="f-to">To</Label>
        <Input id="f-to" name="to" type="date" defaultValue={filters.to ?? ""} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="f-request">Request ID</Label>
        <Input id="f-request" name="requestId" placeholder="uuid" defaultValue={filters.requestId ?? ""} />
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <Button asChild variant="ghost">
          <Link href="/calls">Reset</Link>
        </Button>
      </div>
    </form>
  );
}
