/**
 * Links into the Calls page with its filters in the URL: every chart bar, breakdown row,
 * completeness bucket and budget drills down through `callsHref`, so a number on any page opens
 * the calls behind it. Pure and free of Node APIs, so client components (charts) can import it.
 * The parameter names are the Calls page's (lib/schemas/call-filters.ts parses them back).
 *
 * Days: `from`/`to` are calendar days of the zone `tz` (an IANA name) when the link carries one,
 * so a bar of "15 November" on a page in Europe/Amsterdam opens exactly that Amsterdam day; a
 * link without `tz` is read in the reporting time zone by the rule of lib/db/time-zone.ts. A
 * `preset` (lib/engine/date-range.ts) replaces the days and is resolved when Calls is read.
 */
import type { Preset } from "@/lib/engine/date-range";

/** A grouping value that was not recorded (null in the ledger), e.g. "(not recorded)" stage. */
export const NOT_RECORDED = "(none)";

export const CALL_SORTS = ["time", "cost", "tokens", "latency"] as const;
export type CallSort = (typeof CALL_SORTS)[number];

export interface CallsLink {
  /** Organization id, or NOT_RECORDED (null) for calls without one. */
  organization?: string | null;
  app?: string | null;
  action?: string | null;
  model?: string | null;
  provider?: string | null;
  stage?: string | null;
  request_type?: string | null;
  status?: "ok" | "failed";
  /** Attempted calls with no cost (unknown price or tokens). */
  without_cost?: boolean;
  /** Calls priced from the built-in fallback table. */
  fallback_priced?: boolean;
  /** Calls that read cached prompt tokens. */
  cache_hit?: boolean;
  /** Calls answered from the gateway's response cache (llm_calls.cache_hit; issue 13). */
  response_cache?: boolean;
  /** Attempted calls whose record is incomplete (organization, stage, type, tokens or cost missing). */
  incomplete?: boolean;
  /** Inclusive days, YYYY-MM-DD, of `tz` (or of the reporting time zone without one). */
  from?: string;
  to?: string;
  /** A period resolved when Calls is read (wins over from/to). */
  preset?: Preset;
  /** IANA zone the days are in, e.g. the zone of the page the link comes from. */
  tz?: string;
  q?: string;
  sort?: CallSort;
  dir?: "asc" | "desc";
}

/** The order parameters appear in, so the same filters always give the same URL. */
export const CALLS_LINK_KEYS = [
  "organization",
  "app",
  "action",
  "model",
  "provider",
  "stage",
  "request_type",
  "status",
  "without_cost",
  "fallback_priced",
  "cache_hit",
  "response_cache",
  "incomplete",
  "from",
  "to",
  "preset",
  "tz",
  "q",
  "sort",
  "dir",
] as const satisfies readonly (keyof CallsLink)[];

/** Keys whose `null` means "not recorded" (linked as NOT_RECORDED); `undefined` means no filter. */
const NULLABLE = new Set<keyof CallsLink>(["organization", "app", "action", "model", "provider", "stage", "request_type"]);

/** The search part (`?a=b…`, or "") of a Calls link. */
export function callsSearch(link: CallsLink): string {
  const p = new URLSearchParams();
  for (const key of CALLS_LINK_KEYS) {
    const value = link[key];
    if (value === undefined || value === false || value === "") continue;
    if (value === null) {
      if (NULLABLE.has(key)) p.set(key, NOT_RECORDED);
      continue;
    }
    if (key === "sort" && value === "time") continue;
    // A preset stands for its days: the link stays "last 7 days" when shared.
    if ((key === "from" || key === "to") && link.preset) continue;
    if (key === "dir" && value === "desc") continue;
    p.set(key, value === true ? "1" : value);
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The first and last day (YYYY-MM-DD) of the month of "YYYY-MM" or "YYYY-MM-DD", for month links. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number);
  const year = y ?? 1970;
  const index = (m ?? 1) - 1;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(new Date(Date.UTC(year, index, 1))), to: day(new Date(Date.UTC(year, index + 1, 0))) };
}

/** `/calls?…` for these filters. */
export function callsHref(link: CallsLink): string {
  return `/calls${callsSearch(link)}`;
}
