"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { costFiltersSchema } from "@/lib/schemas/cost-filters";
import { rangeFiltersToSearch, type RangeFilterValues } from "@/lib/schemas/range-filters";
import { savingsFiltersSchema } from "@/lib/schemas/savings-filters";

const ALL = "all";

/** Day ranges (Costs, Completeness, Feedback) or month ranges (Savings). */
const UNITS = {
  day: { schema: costFiltersSchema, input: "date", label: "", width: "w-40", example: {} },
  month: { schema: savingsFiltersSchema, input: "month", label: " month", width: "w-44", example: { from: "2026-06", to: "2026-11" } },
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
 * Date or month range and organization, kept in the URL so a view can be shared and reloaded; the server
 * component re-reads the rollups for the new searchParams. Validated with the same schema first.
 */
export function RangeFilters({ unit, filters, organizations, errors: serverErrors = {} }: RangeFiltersProps) {
  const u = UNITS[unit];
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [org, setOrg] = useState(filters.org ?? ALL);
  const [errors, setErrors] = useState<Record<string, string[]>>(serverErrors);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = u.schema.safeParse({ from, to, org: org === ALL ? null : org });
    if (!parsed.success) {
      const next: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (next[issue.path.join(".")] ??= []).push(issue.message);
      setErrors(next);
      return;
    }
    setErrors({});
    startTransition(() => router.push(`${pathname}?${rangeFiltersToSearch(parsed.data)}`));
  }

  const fieldError = (field: string) =>
    errors[field]?.length ? (
      <p id={`${field}-error`} className="text-xs text-destructive">
        {errors[field].join(" ")}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} aria-label="Filters" className="flex flex-wrap items-start gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="filter-from">From{u.label}</Label>
        <Input id="filter-from" type={u.input} value={from} onChange={(e) => setFrom(e.target.value)} className={u.width}
          placeholder={"from" in u.example ? u.example.from : undefined} aria-invalid={Boolean(errors.from)} aria-describedby={errors.from ? "from-error" : undefined} />
        {fieldError("from")}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-to">To{u.label}</Label>
        <Input id="filter-to" type={u.input} value={to} onChange={(e) => setTo(e.target.value)} className={u.width}
          placeholder={"to" in u.example ? u.example.to : undefined} aria-invalid={Boolean(errors.to)} aria-describedby={errors.to ? "to-error" : undefined} />
        {fieldError("to")}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-org">Organization</Label>
        <Select value={org} onValueChange={setOrg}>
          <SelectTrigger id="filter-org" className="w-52" aria-invalid={Boolean(errors.org)}>
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
    </form>
  );
}
