"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ALL_TIME_PERIOD, CUSTOM_PERIOD, PeriodSelect, type Period } from "@/components/dashboard/period-select";
import { costFiltersSchema } from "@/lib/schemas/cost-filters";
import { rangeFiltersToSearch, type RangeFilterValues } from "@/lib/schemas/range-filters";

const ALL = "all";
const CUSTOM = CUSTOM_PERIOD;
const ALL_TIME = ALL_TIME_PERIOD;

/** Day ranges with presets: Costs, Completeness, Feedback and Savings (Calls uses the Period list in its own form). */
const UNITS = {
  day: { schema: costFiltersSchema, input: "text", label: "", width: "w-36", example: { from: "yyyy-mm-dd", to: "yyyy-mm-dd" } },
} as const;

export type RangeUnit = keyof typeof UNITS;

interface RangeFiltersProps {
  unit: RangeUnit;
  filters: RangeFilterValues;
  organizations: readonly { id: string; name: string }[];
  /** Errors of the URL's filters, from the server (the page then shows the defaults). */
  errors?: Record<string, string[]>;
  /** Offer "All time" (no dates in the URL); it is the choice when `filters` has no days. */
  allTime?: boolean;
  /** The page's other filters (Audit's area, who, search), kept in the URL on Apply. */
  keep?: Record<string, string | undefined>;
}

function withKept(search: string, keep: Record<string, string | undefined>): string {
  const params = new URLSearchParams(search);
  for (const [k, v] of Object.entries(keep)) if (v) params.set(k, v);
  return params.toString();
}

/**
 * Period (a preset or a custom range of ISO days), and organization, kept in the URL so a view
 * can be shared and reloaded; the server component re-reads the data for the new searchParams.
 * Validated with the same schema first. A preset stays a preset in the URL (`?preset=last_month`)
 * and is resolved by the server in the reporting time zone. Everything is reachable by keyboard:
 * the period and organization are Radix selects, the custom days are labelled text fields in
 * `yyyy-mm-dd` (no locale-dependent native date picker), and Apply submits.
 */
export function RangeFilters({ unit, filters, organizations, errors: serverErrors = {}, allTime = false, keep = {} }: RangeFiltersProps) {
  const u = UNITS[unit];
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [period, setPeriod] = useState<Period>(filters.preset ?? (allTime && !filters.from && !filters.to ? ALL_TIME : CUSTOM));
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [org, setOrg] = useState(filters.org ?? ALL);
  const [errors, setErrors] = useState<Record<string, string[]>>(serverErrors);
  const presets = unit === "day";
  const custom = !presets || period === CUSTOM;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const organization = org === ALL ? null : org;
    if (period === ALL_TIME) {
      setErrors({});
      const search = withKept(organization ? new URLSearchParams({ org: organization }).toString() : "", keep);
      startTransition(() => router.push(search ? `${pathname}?${search}` : pathname));
      return;
    }
    if (period !== CUSTOM && !custom) {
      setErrors({});
      startTransition(() => router.push(`${pathname}?${withKept(rangeFiltersToSearch({ from, to, org: organization, preset: period }), keep)}`));
      return;
    }
    const parsed = u.schema.safeParse({ from: from.trim(), to: to.trim(), org: organization });
    if (!parsed.success) {
      const next: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (next[issue.path.join(".")] ??= []).push(issue.message);
      setErrors(next);
      return;
    }
    setErrors({});
    startTransition(() => router.push(`${pathname}?${withKept(rangeFiltersToSearch({ ...parsed.data, preset: null }), keep)}`));
  }

  const fieldError = (field: string) =>
    errors[field]?.length ? (
      <p id={`${field}-error`} className="text-xs text-destructive">
        {errors[field].join(" ")}
      </p>
    ) : null;

  const dayField = (field: "from" | "to", label: string, value: string, set: (v: string) => void) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`filter-${field}`}>
        {label}
        {u.label}
      </Label>
      <Input
        id={`filter-${field}`}
        type={u.input}
        value={value}
        onChange={(e) => set(e.target.value)}
        className={u.width}
        placeholder={u.example[field]}
        inputMode={unit === "day" ? "numeric" : undefined}
        autoComplete="off"
        aria-invalid={Boolean(errors[field])}
        aria-describedby={[unit === "day" ? "filter-day-format" : null, errors[field] ? `${field}-error` : null].filter(Boolean).join(" ") || undefined}
      />
      {fieldError(field)}
    </div>
  );

  return (
    <form onSubmit={submit} aria-label="Filters" className="flex flex-wrap items-start gap-3">
      {presets && <PeriodSelect value={period} onValueChange={setPeriod} error={errors.preset} allTime={allTime} />}
      {custom && (
        <>
          {dayField("from", "From", from, setFrom)}
          {dayField("to", "To", to, setTo)}
        </>
      )}
      <div className="grid gap-1.5">
        <Label htmlFor="filter-org">Organization</Label>
        <Select value={org} onValueChange={setOrg}>
          <SelectTrigger id="filter-org" className="w-52 max-w-full" aria-invalid={Boolean(errors.org)}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>All visible organizations</SelectItem>
            {organizations.map((o) => (
              <SelectItem key={o.id} value={o.id}>
                {o.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {fieldError("org")}
      </div>
      <Button type="submit" variant="secondary" className="mt-[1.375rem]" disabled={pending}>
        {pending ? "Loading…" : "Apply"}
      </Button>
      {custom && unit === "day" && (
        <p id="filter-day-format" className="basis-full text-xs text-muted-foreground">
          Days as yyyy-mm-dd, both included. Up to 93 days are shown by day, longer ranges (up to 5 years) by month.
        </p>
      )}
    </form>
  );
}
