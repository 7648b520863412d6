import type { z } from "zod";
import { DEFAULT_TIME_ZONE, isPreset, resolvePreset, type Preset } from "@/lib/engine/date-range";

/**
 * What the analytics pages' filters share (Costs, Completeness, Feedback by day; Savings by
 * month): a range and an optional organization kept in the URL, parsed with the page's schema,
 * falling back to its defaults while saying what was wrong.
 *
 * URL: `?from=YYYY-MM-DD&to=YYYY-MM-DD&org=<uuid>` as before, plus an optional `preset=last_month`
 * (lib/engine/date-range.ts PRESETS). A preset wins over from/to and is resolved when the page is
 * read, in the reporting time zone, so a shared "last 7 days" link stays the last 7 days.
 */
export interface RangeFilterValues {
  from: string;
  to: string;
  org: string | null;
  /** The preset the range came from; null = a custom range. */
  preset?: Preset | null;
}

export type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

export type ParsedRangeFilters<F extends RangeFilterValues> =
  | { ok: true; filters: F }
  | { ok: false; filters: F; errors: Record<string, string[]> };

export function firstParam(params: RawParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export interface RangeContext {
  now?: Date;
  /** The reporting time zone presets resolve in (IANA). */
  zone?: string;
}

/** Missing values take the defaults; bad ones are reported so the page can say what is wrong. */
export function parseRangeFilters<F extends RangeFilterValues>(
  schema: z.ZodType<F>,
  defaults: F,
  params: RawParams,
  { now = new Date(), zone = DEFAULT_TIME_ZONE }: RangeContext = {},
): ParsedRangeFilters<F> {
  const presetParam = firstParam(params, "preset");
  const preset = isPreset(presetParam) ? presetParam : null;
  const range = preset ? resolvePreset(preset, zone, now) : null;
  const raw = {
    from: range?.from ?? (firstParam(params, "from") || defaults.from),
    to: range?.to ?? (firstParam(params, "to") || defaults.to),
    org: firstParam(params, "org") || null,
  };
  const parsed = schema.safeParse(raw);
  // An unknown preset is reported like any bad value: the page shows its defaults and says why.
  if (parsed.success && (!presetParam || preset)) return { ok: true, filters: { ...parsed.data, preset } };
  const errors: Record<string, string[]> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) (errors[issue.path.join(".") || "_"] ??= []).push(issue.message);
  if (presetParam && !preset) (errors.preset ??= []).push("Unknown period: choose one from the list.");
  return { ok: false, filters: defaults, errors };
}

/**
 * The filters as a query string. A preset stays a preset (a shareable "last 7 days"); `resolved`
 * writes the days instead, for a CSV link that must hold exactly what the page shows.
 */
export function rangeFiltersToSearch(filters: RangeFilterValues, { resolved = false } = {}): string {
  const params = new URLSearchParams(filters.preset && !resolved ? { preset: filters.preset } : { from: filters.from, to: filters.to });
  if (filters.org) params.set("org", filters.org);
  return params.toString();
}
