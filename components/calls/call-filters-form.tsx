import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { CallFilterOptions } from "@/lib/db/calls";
import type { CallFilters } from "@/lib/schemas/call-filters";

const selectClass =
  "h-9 w-full rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

/** A plain GET form: the filters live in the URL, so a view can be shared and reloaded. */
export function CallFiltersForm({ filters, options }: { filters: CallFilters; options: CallFilterOptions }) {
  return (
    <form method="get" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filter calls">
      <div className="space-y-1.5">
        <Label htmlFor="f-organization">Organization</Label>
        <select id="f-organization" name="organization" defaultValue={filters.organization ?? ""} className={selectClass}>
          <option value="">All</option>
          {options.organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="f-app">App</Label>
        <select id="f-app" name="app" defaultValue={filters.app ?? ""} className={selectClass}>
          <option value="">All</option>
          {options.apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.code}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="f-status">Status</Label>
        <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
          <option value="">All</option>
          <option value="ok">ok</option>
          <option value="failed">failed</option>
        </select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="f-model">Model</Label>
        <select id="f-model" name="model" defaultValue={filters.model ?? ""} className={selectClass}>
          <option value="">All</option>
          {options.models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
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
