import { z } from "zod";
import { CALL_SORTS, CALLS_LINK_KEYS, NOT_RECORDED, callsSearch, type CallsLink } from "./calls-href";
import { PRESETS, addDays, isTimeZone, resolvePreset } from "@/lib/engine/date-range";

/**
 * The Calls page's filters, read from the URL's search params (so a filtered view can be linked,
 * reloaded and walked back with the browser's back button). Empty strings mean "no filter";
 * NOT_RECORDED ("(none)") selects calls where that field is null. `cursor` is the keyset position
 * of the last row of the previous page, for the chosen sort. The same parse serves the page, the
 * CSV route and the loaders, so an export holds exactly the filtered calls.
 */
const optionalUuid = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.guid().optional());

/** A uuid, or NOT_RECORDED for "none". */
const optionalUuidOrNone = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.union([z.guid(), z.literal(NOT_RECORDED)]).optional());

const optionalDate = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
      .refine((v) => {
        const d = new Date(`${v}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
      }, "Not a calendar date")
      .optional(),
  );

const optionalText = z
  .string()
  .trim()
  .max(200)
  .transform((v) => (v === "" ? undefined : v));

/** "1"/"true"/"on" (a checkbox) → true; anything else → no filter. */
const flag = z
  .string()
  .transform((v) => (["1", "true", "on"].includes(v.trim().toLowerCase()) ? true : undefined));

export const callFiltersSchema = z.object({
  organization: optionalUuidOrNone.optional(),
  app: optionalUuidOrNone.optional(),
  action: optionalText.optional(),
  model: optionalText.optional(),
  provider: optionalText.optional(),
  stage: optionalText.optional(),
  request_type: optionalText.optional(),
  status: z.enum(["ok", "failed", ""]).optional().transform((v) => (v === "" ? undefined : v)),
  without_cost: flag.optional(),
  fallback_priced: flag.optional(),
  cache_hit: flag.optional(),
  response_cache: flag.optional(),
  incomplete: flag.optional(),
  from: optionalDate.optional(),
  to: optionalDate.optional(),
  preset: z.enum(PRESETS).optional(),
  tz: z.string().trim().refine(isTimeZone, "Unknown time zone").optional(),
  q: optionalText.optional(),
  sort: z.enum(CALL_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  requestId: optionalUuid.optional(),
  cursor: optionalText.optional(),
});

export type CallFilters = Partial<z.output<typeof callFiltersSchema>> & {
  /**
   * The IANA zone whose days `from`/`to` are (set when the page resolves its range: `tz` of the
   * URL, else the reporting time zone); never written into links. UTC when absent.
   */
  zone?: string;
};

/** Parses search params leniently: an invalid value drops that filter instead of failing the page. */
export function parseCallFilters(params: Record<string, string | string[] | undefined> | URLSearchParams): CallFilters {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(callFiltersSchema.shape)) {
    const raw = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const one = callFiltersSchema.shape[key as keyof typeof callFiltersSchema.shape].safeParse(value);
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return callFiltersSchema.parse(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v === true ? "1" : v])));
}

export const DEFAULT_CALL_RANGE_DAYS = 30;

/**
 * The range the page reads, in `zone` (the URL's `tz`, else the reporting time zone): a preset
 * resolves to its days at `now`; without dates the last 30 days of the zone (so the total and the
 * filter choices read a bounded range); a request id alone looks the request up at any date.
 */
export function withDefaultRange(filters: CallFilters, now = new Date(), zone = filters.tz ?? "UTC"): CallFilters {
  if (filters.preset) return { ...filters, ...resolvePreset(filters.preset, zone, now), zone };
  if (filters.from || filters.to || filters.requestId) return { ...filters, zone };
  const { from, to } = resolvePreset("last_30_days", zone, now);
  return { ...filters, from, to, zone };
}

/** The zone the page should resolve for these filters' organization (a uuid, not NOT_RECORDED). */
export function zoneOrganization(filters: CallFilters): string | null {
  return filters.organization && filters.organization !== NOT_RECORDED ? filters.organization : null;
}

/** [from, to] widened by a day each side: the UTC days that contain every day of another zone. */
export function utcDaysAround(filters: Pick<CallFilters, "from" | "to" | "zone">): Pick<CallFilters, "from" | "to"> {
  if (!filters.zone || filters.zone === "UTC") return { from: filters.from, to: filters.to };
  return { from: filters.from && addDays(filters.from, -1), to: filters.to && addDays(filters.to, 1) };
}

/** The effective sort: newest first unless the URL says otherwise. */
export function sortOf(filters: CallFilters): { sort: (typeof CALL_SORTS)[number]; dir: "asc" | "desc" } {
  return { sort: filters.sort ?? "time", dir: filters.dir ?? "desc" };
}

/** Keyset cursor: the row's sort key as exact text (null = not recorded), created_at at full (microsecond) precision, and its id. */
export interface CallCursor {
  key: string | null;
  createdAt: string;
  id: string;
}

export function encodeCursor(createdAt: string, id: string, key: string | null = null): string {
  return Buffer.from(JSON.stringify([key, createdAt, id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): CallCursor | null {
  if (!cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [key, createdAt, id] = value as unknown[];
  if (key !== null && (typeof key !== "string" || !/^-?\d+(\.\d+)?$/.test(key))) return null;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt))) return null;
  if (typeof id !== "string" || !z.guid().safeParse(id).success) return null;
  return { key, createdAt, id };
}

/** The filters as the Calls link they came from (no cursor, no request id). */
export function filtersToLink(filters: CallFilters): CallsLink {
  const link: CallsLink = {};
  for (const key of CALLS_LINK_KEYS) {
    const value = filters[key];
    if (value !== undefined) (link as Record<string, unknown>)[key] = value;
  }
  return link;
}

/** The filters as URL search params (without the cursor unless given), for links. A preset stays a preset. */
export function filtersToSearch(filters: CallFilters, cursor?: string): string {
  const p = new URLSearchParams(callsSearch(filtersToLink(filters)));
  if (filters.requestId) p.set("requestId", filters.requestId);
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return s ? `?${s}` : "";
}
