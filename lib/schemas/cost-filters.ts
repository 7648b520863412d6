import { z } from "zod";
import { parseRangeFilters, rangeFiltersToSearch, type ParsedRangeFilters, type RawParams } from "./range-filters";

/**
 * Date range and organization filters of the Costs and Completeness pages, kept in the URL
 * (`?from=YYYY-MM-DD&to=YYYY-MM-DD&org=<uuid>`). Shared by the pages, the CSV route and the
 * loaders, so what is exported is filtered exactly like what is shown.
 */

/** Every chart reads daily rollups; the bound keeps each read to at most ~3 months of rollup rows. */
export const MAX_RANGE_DAYS = 93;
export const DEFAULT_RANGE_DAYS = 30;

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

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  // Round-tripping rejects "2026-02-30", which Date would silently roll into March.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

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
    if (daysInRange(value.from, value.to) > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `Choose at most ${MAX_RANGE_DAYS} days.` });
    }
  });

export type CostFilters = z.infer<typeof costFiltersSchema>;

/** Inclusive number of calendar days from `from` to `to`. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function defaultCostFilters(now = new Date()): CostFilters {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, org: null };
}

export type ParsedCostFilters = ParsedRangeFilters<CostFilters>;

/**
 * Missing values take the defaults (last 30 days, all organizations); bad ones are reported so
 * the page can say what is wrong while still showing the default range.
 */
export function parseCostFilters(params: RawParams, now = new Date()): ParsedCostFilters {
  return parseRangeFilters(costFiltersSchema, defaultCostFilters(now), params);
}

export const costFiltersToSearch: (costFilters: CostFilters) => string = rangeFiltersToSearch;
