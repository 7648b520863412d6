"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { savingsFiltersSchema, savingsFiltersToSearch, type SavingsFilters } from "@/lib/schemas/savings-filters";

const ALL = "all";

interface MonthFiltersProps {
  filters: SavingsFilters;
  organizations: readonly { id: string; name: string }[];
  /** Errors of the URL's filters, from the server (the page then shows the defaults). */
  errors?: Record<string, string[]>;
}

/**
 * Month range and organization, kept in the URL so a view can be shared and reloaded; validated
 * with the same schema as the server before navigating.
 */
export function MonthFilters({ filters, organizations, errors: serverErrors = {} }: MonthFiltersProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [org, setOrg] = useState(filters.org ?? ALL);
  const [errors, setErrors] = useState<Record<string, string[]>>(serverErrors);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = savingsFiltersSchema.safeParse({ from, to, org: org === ALL ? null : org });
    if (!parsed.success) {
      const next: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (next[issue.path.join(".")] ??= []).push(issue.message);
      setErrors(next);
      return;
    }
    setErrors({});
    startTransition(() => router.push(`${pathname}?${savingsFiltersToSearch(parsed.data)}`));
  }

  const fieldError = (field: string) =>
    errors[field]?.length ? (
      <p id={`month-${field}-error`} className="text-xs text-destructive">
        {errors[field].join(" ")}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} aria-label="Filters" className="flex flex-wrap items-start gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="filter-from-month">From month</Label>
        <Input id="filter-from-month" type="month" value={from} onChange={(e) => setFrom(e.target.value)} className="w-44"
          placeholder="2026-06" aria-invalid={Boolean(errors.from)} aria-describedby={errors.from ? "month-from-error" : undefined} />
        {fieldError("from")}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-to-month">To month</Label>
        <Input id="filter-to-month" type="month" value={to} onChange={(e) => setTo(e.target.value)} className="w-44"
          placeholder="2026-11" aria-invalid={Boolean(errors.to)} aria-describedby={errors.to ? "month-to-error" : undefined} />
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
