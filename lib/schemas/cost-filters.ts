import { z } from "zod";
import {
  DEFAULT_TIME_ZONE, MAX_DAILY_DAYS, MAX_RANGE_DAYS_TOTAL, daysInRange, granularityOf, isCalendarDay, type Granularity, type Preset,
} from "@/lib/engine/date-range";
import { firstParam, parseRangeFilters, rangeFiltersToSearch, type ParsedRangeFilters, type RawParams } from "./range-filters";

/**
 * Date range and organization filters of the Costs, Completeness and Feedback pages, kept in the
 * URL (`?from=YYYY-MM-DD&to=YYYY-MM-DD&org=<uuid>` or `?preset=last_month&org=<uuid>`). Shared by
 * the pages, the CSV route and the loaders, so what is exported is filtered exactly like what is
 * shown. Days are days of the reporting time zone (`zone`, decided by the loader's caller from
 * `reporting.time_zone`); up to 93 days are shown by day, longer ranges (up to 5 years) by month.
 */

/** Up to this many days the charts are daily; beyond, monthly. */
export const MAX_RANGE_DAYS = MAX_DAILY_DAYS;
export const MAX_RANGE_YEARS = 5;
export const DEFAULT_RANGE_DAYS = 30;
export { daysInRange };

/** The Costs page's breakdowns, in the order shown (the loader, the page and the CSV share them). */
export const COST_DIMENSIONS = ["organization", "model", "provider", "stage", "request_type"] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<CostDimension, string> = {
  organization: "Organization",
  model: "Model",
  provider: "Provider",
  stage: "Pipeline stage",
  request_type: "Request type",
};

const DAY_MS = 86_400_000;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-24.")
  .refine(isCalendarDay, "This is not a valid calendar date.");

export const costFiltersSchema = z
  .object({
    from: day,
    to: day,
    org: z.uuid("Unknown organization.").nullable(),
  })
  .superRefine((value, ctx) => {
    if (value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "The start date must be on or before the end date." });
      return;
    }
    if (daysInRange(value.from, value.to) > MAX_RANGE_DAYS_TOTAL) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `Choose at most ${MAX_RANGE_YEARS} years.` });
    }
  });

export type CostRange = z.infer<typeof costFiltersSchema>;

export interface CostFilters extends CostRange {
  preset?: Preset | null;
  /** IANA zone whose days the range and every bucket are; UTC when not given. */
  zone?: string;
}

export function defaultCostFilters(now = new Date()): CostFilters {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, org: null };
}

/** Day or month buckets for the filters' range. */
export function costGranularity(filters: CostRange): Granularity {
  return granularityOf(filters);
}

export type ParsedCostFilters = ParsedRangeFilters<CostFilters>;

/** The `org` of the URL when it is a UUID (to pick the time zone before parsing the rest). */
export function orgParam(params: RawParams): string | null {
  const org = firstParam(params, "org");
  return org && z.uuid().safeParse(org).success ? org : null;
}

/**
 * Missing values take the defaults (last 30 days, all organizations); bad ones are reported so
 * the page can say what is wrong while still showing the default range. A preset is resolved in
 * `zone` at `now`.
 */
export function parseCostFilters(params: RawParams, now = new Date(), zone = DEFAULT_TIME_ZONE): ParsedCostFilters {
  const parsed = parseRangeFilters<CostFilters>(costFiltersSchema, defaultCostFilters(now), params, { now, zone });
  return { ...parsed, filters: { ...parsed.filters, zone } };
}

export const costFiltersToSearch: (costFilters: CostFilters, options?: { resolved?: boolean }) => string = rangeFiltersToSearch;
