import type { z } from "zod";

/**
 * What the analytics pages' filters share (Costs, Completeness, Feedback by day; Savings by
 * month): a range and an optional organization kept in the URL, parsed with the page's schema,
 * falling back to its defaults while saying what was wrong.
 */
export interface RangeFilterValues {
  from: string;
  to: string;
  org: string | null;
}

export type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

export type ParsedRangeFilters<F extends RangeFilterValues> =
  | { ok: true; filters: F }
  | { ok: false; filters: F; errors: Record<string, string[]> };

function first(params: RawParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Missing values take the defaults; bad ones are reported so the page can say what is wrong. */
export function parseRangeFilters<F extends RangeFilterValues>(schema: z.ZodType<F>, defaults: F, params: RawParams): ParsedRangeFilters<F> {
  const raw = {
    from: first(params, "from") || defaults.from,
    to: first(params, "to") || defaults.to,
    org: first(params, "org") || null,
  };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return { ok: false, filters: defaults, errors };
}

export function rangeFiltersToSearch(filters: RangeFilterValues): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.org) params.set("org", filters.org);
  return params.toString();
}
