import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { CallFilterOptions } from "@/lib/db/calls";
import { CallsPeriodFields } from "./calls-period-fields";
import type { CallFilters } from "@/lib/schemas/call-filters";
import { NOT_RECORDED } from "@/lib/schemas/calls-href";

/**
 * The Calls filters as a plain GET form: every value lives in the URL, so a view can be shared,
 * reloaded and walked back with the browser's back button, and works without JavaScript. The
 * choices come from the data in the range, so every model with calls can be picked; a value from
 * a link that is not among them is kept as its own option rather than silently dropped.
 */

const selectClass =
  "h-9 w-full min-w-0 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

type Choice = [value: string, label: string];

/** A native select named like its URL parameter, with "All" (empty) first. */
function FilterSelect({ name, label, value, options, notRecorded }: { name: string; label: string; value: string | undefined; options: Choice[]; notRecorded?: boolean }) {
  const choices: Choice[] = [...options, ...(notRecorded ? [[NOT_RECORDED, "(not recorded)"] as Choice] : [])];
  if (value && !choices.some(([v]) => v === value)) choices.push([value, value]);
  return (
    <div className="min-w-0 space-y-1.5">
      <Label htmlFor={`f-${name}`}>{label}</Label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} className={selectClass}>
        <option value="">All</option>
        {choices.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

function FilterCheck({ name, label, checked }: { name: string; label: string; checked: boolean | undefined }) {
  return (
    <label htmlFor={`f-${name}`} className="flex items-center gap-2 text-sm">
      <input id={`f-${name}`} type="checkbox" name={name} value="1" defaultChecked={checked === true} className="size-4 accent-primary" />
      {label}
    </label>
  );
}

const same = (values: string[]): Choice[] => values.map((v) => [v, v]);

export function CallFiltersForm({ filters, options }: { filters: CallFilters; options: CallFilterOptions }) {
  return (
    <form method="get" action="/calls" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filter calls">
      <div className="min-w-0 space-y-1.5 sm:col-span-2">
        <Label htmlFor="f-q">Search</Label>
        <div className="relative">
          <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input id="f-q" name="q" type="search" className="pl-8" placeholder="Request id, user, model or action" defaultValue={filters.q ?? ""} />
        </div>
      </div>
      <CallsPeriodFields preset={filters.preset ?? null} from={filters.from ?? ""} to={filters.to ?? ""} tz={filters.tz ?? null} />
      <FilterSelect name="organization" label="Organization" value={filters.organization} options={options.organizations.map((o) => [o.id, o.name])} notRecorded />
      <FilterSelect name="app" label="App" value={filters.app} options={options.apps.map((a) => [a.id, a.code])} />
      <FilterSelect name="action" label="Action" value={filters.action} options={same(options.actions)} />
      <FilterSelect name="model" label="Model" value={filters.model} options={same(options.models)} />
      <FilterSelect name="provider" label="Provider" value={filters.provider} options={same(options.providers)} />
      <FilterSelect name="stage" label="Pipeline stage" value={filters.stage} options={same(options.stages)} notRecorded />
      <FilterSelect name="request_type" label="Request type" value={filters.request_type} options={same(options.requestTypes)} notRecorded />
      <FilterSelect name="status" label="Status" value={filters.status} options={[["ok", "ok"], ["failed", "failed"]]} />
      <fieldset className="flex flex-wrap items-center gap-x-5 gap-y-2 sm:col-span-2 lg:col-span-3">
        <legend className="sr-only">Only calls that are</legend>
        <FilterCheck name="without_cost" label="Without cost" checked={filters.without_cost} />
        <FilterCheck name="fallback_priced" label="Fallback-priced" checked={filters.fallback_priced} />
        <FilterCheck name="cache_hit" label="Prompt cache read (cached tokens)" checked={filters.cache_hit} />
        <FilterCheck name="response_cache" label="Response cache hit" checked={filters.response_cache} />
        <FilterCheck name="incomplete" label="Incomplete record" checked={filters.incomplete} />
      </fieldset>
      {/* The sort survives a change of filters; the page position does not. */}
      {filters.sort && <input type="hidden" name="sort" value={filters.sort} />}
      {filters.dir && <input type="hidden" name="dir" value={filters.dir} />}
      {filters.requestId && <input type="hidden" name="requestId" value={filters.requestId} />}
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <Button asChild variant="ghost">
          <Link href="/calls">Reset</Link>
        </Button>
      </div>
    </form>
  );
}
