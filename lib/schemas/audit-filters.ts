import { z } from "zod";
import { AUDIT_AREA_KEYS } from "@/lib/engine/audit-areas";
import { DEFAULT_TIME_ZONE, isPreset, resolvePreset, type Preset } from "@/lib/engine/date-range";

/**
 * The Audit page's filters, kept in the URL so a view can be shared and reloaded:
 * `?area=routing&actor=<email|gateway|job:<name>|system|learning-job|retention-job>&org=<uuid>&from=YYYY-MM-DD&to=YYYY-MM-DD&q=text&before=<id>`,
 * or `preset=last_7_days` (the shared date-range presets, lib/engine/date-range.ts) instead of the
 * days: resolved when the URL is read, in the reporting time zone, and kept as a preset in links.
 * Days are days of the reporting time zone. No dates = the whole trail.
 * A bad value is dropped and reported (the page says which filter it ignored) rather than failing.
 */

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-24.").refine(isCalendarDay, "This is not a valid calendar date.");

const fields = {
  area: z.enum(AUDIT_AREA_KEYS, { message: "Unknown area." }),
  actor: z.string().trim().min(1).max(320),
  org: z.uuid({ message: "Unknown organization." }),
  from: day,
  to: day,
  q: z.string().trim().min(1).max(100, "Search for at most 100 characters."),
  before: z.coerce.number().int().positive(),
} as const;

export type AuditFilterKey = keyof typeof fields;

export interface AuditFilterValues {
  area?: z.infer<typeof fields.area>;
  actor?: string;
  org?: string;
  from?: string;
  to?: string;
  /** The preset `from`/`to` were resolved from; kept in links instead of the days. */
  preset?: Preset;
  q?: string;
  /** Keyset cursor: entries with an id below it. */
  before?: number;
}

export interface ParsedAuditFilters {
  filters: AuditFilterValues;
  /** Filters of the URL that were ignored, and why. */
  errors: Partial<Record<AuditFilterKey | "range", string>>;
}

type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

function first(params: RawParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export function parseAuditFilters(params: RawParams, { zone = DEFAULT_TIME_ZONE, now = new Date() }: { zone?: string; now?: Date } = {}): ParsedAuditFilters {
  const filters: Record<string, unknown> = {};
  const errors: ParsedAuditFilters["errors"] = {};
  const preset = first(params, "preset");
  for (const key of Object.keys(fields) as AuditFilterKey[]) {
    const raw = first(params, key);
    if (raw === undefined || raw.trim() === "") continue;
    const parsed = fields[key].safeParse(raw);
    if (parsed.success) filters[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "Invalid value.";
  }
  const result = filters as AuditFilterValues;
  if (isPreset(preset)) {
    Object.assign(result, resolvePreset(preset, zone, now), { preset });
  } else if (preset) {
    errors.range = "Unknown period; the dates of the URL were used.";
  }
  if (result.from && result.to && result.from > result.to) {
    errors.range = "The start date is after the end date; the dates were ignored.";
    delete result.from;
    delete result.to;
  }
  return { filters: result, errors };
}

/** The URL query of these filters (without the cursor unless given), for links and the pager. */
export function auditFiltersToSearch(filters: AuditFilterValues, before?: number, { resolved = false } = {}): string {
  const q = new URLSearchParams();
  const days = filters.preset && !resolved ? (["preset"] as const) : (["from", "to"] as const);
  for (const key of ["area", "actor", "org", ...days, "q"] as const) {
    const value = filters[key];
    if (value) q.set(key, value);
  }
  if (before) q.set("before", String(before));
  return q.toString();
}
