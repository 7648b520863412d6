"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { type Preset } from "@/lib/engine/date-range";
import { PeriodSelect } from "@/components/dashboard/period-select";
import { costFiltersSchema } from "@/lib/schemas/cost-filters";
import { rangeFiltersToSearch, type RangeFilterValues } from "@/lib/schemas/range-filters";

const ALL = "all";
const CUSTOM = "custom";

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
}

/**
 * Period (a preset or a custom range of ISO days), and organization, kept in the URL so a view
 * can be shared and reloaded; the server component re-reads the data for the new searchParams.
 * Validated with the same schema first. A preset stays a preset in the URL (`?preset=last_month`)
 * and is resolved by the server in the reporting time zone. Everything is reachable by keyboard:
 * the period and organization are Radix selects, the custom days are labelled text fields in
 * `yyyy-mm-dd` (no locale-dependent native date picker), and Apply submits.
 */
export function RangeFilters({ unit, filters, organizations, errors: serverErrors = {} }: RangeFiltersProps) {
  const u = UNITS[unit];
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [period, setPeriod] = useState<Preset | typeof CUSTOM>(filters.preset ?? CUSTOM);
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [org, setOrg] = useState(filters.org ?? ALL);
  const [errors, setErrors] = useState<Record<string, string[]>>(serverErrors);
  const presets = unit === "day";
  const custom = !presets || period === CUSTOM;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const organization = org === ALL ? null : org;
    if (period !== CUSTOM && !custom) {
      setErrors({});
      startTransition(() => router.push(`${pathname}?${rangeFiltersToSearch({ from, to, org: organization, preset: period })}`));
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
    startTransition(() => router.push(`${pathname}?${rangeFiltersToSearch({ ...parsed.data, preset: null })}`));
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
      {presets && <PeriodSelect value={period} onValueChange={setPeriod} error={errors.preset} />}
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
