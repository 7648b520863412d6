import { z } from "zod";
import { parseRangeFilters, rangeFiltersToSearch, type ParsedRangeFilters, type RawParams } from "./range-filters";

/**
 * Month range and organization of the Savings page, kept in the URL
 * (`?from=YYYY-MM&to=YYYY-MM&org=<uuid>`). Shared by the page, the CSV route and the loader, so
 * the export is filtered exactly like the page.
 */

export const MAX_RANGE_MONTHS = 24;
export const DEFAULT_RANGE_MONTHS = 6;

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use a month like 2026-11.");

export const savingsFiltersSchema = z
  .object({
    from: month,
    to: month,
    org: z.uuid("Unknown organization.").nullable(),
  })
  .superRefine((value, ctx) => {
    if (value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "The first month must be on or before the last month." });
      return;
    }
    if (monthsInRange(value.from, value.to) > MAX_RANGE_MONTHS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `Choose at most ${MAX_RANGE_MONTHS} months.` });
    }
  });

export type SavingsFilters = z.infer<typeof savingsFiltersSchema>;

const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const fromIndex = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;

/** Inclusive number of months from `from` to `to`. */
export function monthsInRange(from: string, to: string): number {
  return index(to) - index(from) + 1;
}

/** Every month of the range, in order. */
export function monthList(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, monthsInRange(from, to)) }, (_, i) => fromIndex(index(from) + i));
}

/** First day of `from` and last day of `to`, as calendar days. */
export function dayBounds(filters: SavingsFilters): { first: string; last: string } {
  const next = fromIndex(index(filters.to) + 1);
  const last = new Date(Date.parse(`${next}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { first: `${filters.from}-01`, last };
}

export function defaultSavingsFilters(now = new Date()): SavingsFilters {
  const to = now.toISOString().slice(0, 7);
  return { from: fromIndex(index(to) - (DEFAULT_RANGE_MONTHS - 1)), to, org: null };
}

export type ParsedSavingsFilters = ParsedRangeFilters<SavingsFilters>;

/** Missing values take the defaults (last 6 months, all organizations); bad ones are reported. */
export function parseSavingsFilters(params: RawParams, now = new Date()): ParsedSavingsFilters {
  return parseRangeFilters(savingsFiltersSchema, defaultSavingsFilters(now), params);
}

export const savingsFiltersToSearch: (savingsFilters: SavingsFilters) => string = rangeFiltersToSearch;
