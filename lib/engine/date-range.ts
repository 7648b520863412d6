/**
 * Date ranges of the dashboards in a reporting time zone (issue 12 item 4), pure: presets
 * ("today", "last 30 days", "last month"…) resolved against "now" in an IANA zone, the zone's day
 * boundaries as instants, and the granularity a range is shown in (days up to 93 days, months
 * beyond, at most 5 years). Calendar days are plain `yyyy-mm-dd` strings: a day is a day of the
 * zone, never a Date, so nothing shifts with the server's own zone.
 */

export const DEFAULT_TIME_ZONE = "UTC";
export const TIME_ZONE_KEY = "reporting.time_zone";
/** Up to this many days a range is shown by day; longer ones by month. */
export const MAX_DAILY_DAYS = 93;
/** The longest range (5 years): monthly buckets keep it to 60 points. */
export const MAX_RANGE_DAYS_TOTAL = 1827;

export const PRESETS = ["today", "yesterday", "last_7_days", "last_30_days", "this_month", "last_month"] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<Preset | "custom", string> = {
  today: "Today",
  yesterday: "Yesterday",
  last_7_days: "Last 7 days",
  last_30_days: "Last 30 days",
  this_month: "This month",
  last_month: "Last month",
  custom: "Custom range",
};

export type Granularity = "day" | "month";

export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

export function isPreset(value: unknown): value is Preset {
  return typeof value === "string" && (PRESETS as readonly string[]).includes(value);
}

/** True for a zone name Intl knows ("Europe/Amsterdam", "UTC"); false for anything else. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A stored zone when valid, else UTC (a bad row never breaks a page). */
export function timeZoneFrom(value: unknown): string {
  return isTimeZone(value) ? value : DEFAULT_TIME_ZONE;
}

export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  // Round-tripping rejects "2026-02-30", which Date would silently roll into March.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function partsIn(zone: string, instant: Date): Parts {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(zone, f);
  }
  const out: Parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(instant)) if (p.type in out) out[p.type as keyof Parts] = Number(p.value);
  return out;
}

/** The zone's calendar day at `instant`. */
export function dayIn(zone: string, instant: Date): string {
  const p = partsIn(zone, instant);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Minutes the zone is ahead of UTC at `instant` (Amsterdam: 60 in winter, 120 in summer). */
export function offsetMinutes(zone: string, instant: Date): number {
  const p = partsIn(zone, instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant the zone's day `day` begins (midnight local; DST never moves midnight in practice). */
export function startOfDay(day: string, zone: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let guess = midnightUtc - offsetMinutes(zone, new Date(midnightUtc)) * 60_000;
  // Once more at the guess: the offset may differ between UTC midnight and local midnight.
  guess = midnightUtc - offsetMinutes(zone, new Date(guess)) * 60_000;
  return new Date(guess);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Inclusive number of calendar days from `from` to `to`. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * True when the zone's days over the range are UTC days (UTC, Etc/UTC, Africa/Abidjan, London in
 * winter…), so UTC-day rollups answer exactly.
 */
export function hasUtcDays(zone: string, range: DayRange): boolean {
  if (zone === DEFAULT_TIME_ZONE) return true;
  // Sampled every 7 days and at the end: no zone leaves UTC for less than a week.
  for (let d = range.from; ; d = addDays(d, 7)) {
    const day = d > range.to ? addDays(range.to, 1) : d;
    if (offsetMinutes(zone, new Date(`${day}T12:00:00Z`)) !== 0 || startOfDay(day, zone).toISOString().slice(11, 19) !== "00:00:00") return false;
    if (d > range.to) return true;
  }
}

/**
 * True when every day boundary of the zone over the range falls on a UTC hour (whole-hour offsets:
 * Amsterdam, New York, London all year; not India's +05:30 or Nepal's +05:45), so UTC-hour
 * rollups answer exactly.
 */
export function hasWholeHourDays(zone: string, range: DayRange): boolean {
  for (let d = range.from; ; d = addDays(d, 7)) {
    const day = d > range.to ? addDays(range.to, 1) : d;
    if (offsetMinutes(zone, new Date(`${day}T12:00:00Z`)) % 60 !== 0 || startOfDay(day, zone).getUTCMinutes() !== 0) return false;
    if (d > range.to) return true;
  }
}

/** [start, end) instants of a range of the zone's days: what a query on created_at uses. */
export function rangeInstants(range: DayRange, zone: string): { start: Date; end: Date } {
  return { start: startOfDay(range.from, zone), end: startOfDay(addDays(range.to, 1), zone) };
}

function monthStart(day: string, shift = 0): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + shift;
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The preset's days in the zone at `now`; every preset ends today or earlier. */
export function resolvePreset(preset: Preset, zone: string, now: Date): DayRange {
  const today = dayIn(zone, now);
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "yesterday": {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case "last_7_days":
      return { from: addDays(today, -6), to: today };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "this_month":
      return { from: monthStart(today), to: today };
    case "last_month": {
      const first = monthStart(today, -1);
      return { from: first, to: addDays(monthStart(today), -1) };
    }
  }
}

export function granularityOf(range: DayRange): Granularity {
  return daysInRange(range.from, range.to) > MAX_DAILY_DAYS ? "month" : "day";
}

/** The buckets a chart shows for the range: every day, or every month as `yyyy-mm`. */
export function bucketsOf(range: DayRange, granularity: Granularity = granularityOf(range)): string[] {
  const out: string[] = [];
  if (granularity === "day") {
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
    return out;
  }
  for (let m = monthStart(range.from); m <= range.to; m = monthStart(m, 1)) out.push(m.slice(0, 7));
  return out;
}

/** The bucket a calendar day falls in. */
export function bucketOf(day: string, granularity: Granularity): string {
  return granularity === "day" ? day : day.slice(0, 7);
}
