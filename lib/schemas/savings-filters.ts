import { addDays, dayIn, DEFAULT_TIME_ZONE, granularityOf, type Granularity } from "@/lib/engine/date-range";
import { costFiltersSchema, type CostFilters } from "./cost-filters";
import { firstParam, parseRangeFilters, rangeFiltersToSearch, type ParsedRangeFilters, type RawParams } from "./range-filters";

/**
 * Range and organization of the Savings page, kept in the URL like every dated page (the shared
 * control, README "Date ranges"): `?preset=last_month&org=<uuid>` or
 * `?from=2026-11-01&to=2026-11-30`, days of the reporting time zone, by day up to 93 days and by
 * month beyond (up to 5 years). Links of the earlier month picker (`?from=2026-06&to=2026-11`)
 * still open: a month reads as its first (from) or last (to) day. Shared by the page, the CSV
 * route and the loader, so the export is filtered exactly like the page.
 */

export type SavingsFilters = CostFilters;

/** The default view: this month and the five before it (so by month, as the page always began). */
export const DEFAULT_RANGE_MONTHS = 6;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthStart(month: string, shift = 0): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + shift, 1));
  return d.toISOString().slice(0, 10);
}

export function defaultSavingsFilters(now = new Date(), zone = DEFAULT_TIME_ZONE): SavingsFilters {
  const today = dayIn(zone, now);
  return { from: monthStart(today.slice(0, 7), -(DEFAULT_RANGE_MONTHS - 1)), to: today, org: null };
}

/** Day or month buckets for the range. */
export function savingsGranularity(filters: Pick<SavingsFilters, "from" | "to">): Granularity {
  return granularityOf(filters);
}

export type ParsedSavingsFilters = ParsedRangeFilters<SavingsFilters>;

/** A month of the old picker as days: `from=2026-06` → 2026-06-01, `to=2026-11` → 2026-11-30. */
function upgradeMonths(params: RawParams): RawParams {
  const from = firstParam(params, "from");
  const to = firstParam(params, "to");
  if (!(from && MONTH.test(from)) && !(to && MONTH.test(to))) return params;
  const out: Record<string, string | undefined> = {};
  for (const key of ["preset", "org"]) out[key] = firstParam(params, key);
  out.from = from && MONTH.test(from) ? monthStart(from) : from;
  out.to = to && MONTH.test(to) ? addDays(monthStart(to, 1), -1) : to;
  return out;
}

/**
 * Missing values take the defaults (the last 6 months, all organizations); bad ones, an unknown
 * preset included, are reported so the page says what is wrong while showing the defaults (never
 * an error page). A preset resolves in `zone` at `now`.
 */
export function parseSavingsFilters(params: RawParams, now = new Date(), zone = DEFAULT_TIME_ZONE): ParsedSavingsFilters {
  const parsed = parseRangeFilters<SavingsFilters>(costFiltersSchema, defaultSavingsFilters(now, zone), upgradeMonths(params), { now, zone });
  return { ...parsed, filters: { ...parsed.filters, zone } };
}

export const savingsFiltersToSearch: (savingsFilters: SavingsFilters, options?: { resolved?: boolean }) => string = rangeFiltersToSearch;
