import { dayIn, startOfDay } from "@/lib/engine/date-range";

/**
 * Statement months and the period-close rules (issue 13), pure. A statement month is a calendar
 * month in the organization's reporting time zone (`reporting.time_zone`, the organization's row
 * first: lib/db/time-zone.ts). Its bounds are the zone's midnights; the statement rollup is
 * hourly in UTC, so whole-hour zones (DST included) are exact; in a half-hour zone the hour that
 * holds midnight counts for the month in which that hour starts.
 *
 * Rules (README "Client statements"):
 * - close: platform admins only (RLS), a month that has ended in the zone; once a month is closed,
 *   only the month right after the latest closed one (months close in order, without gaps, so every
 *   correction of a closed month lands in ONE place: the month after the latest closed one);
 * - reopen: platform admins only, with a reason, only the latest closed month (refused while a
 *   later month is closed: that month's adjustments were computed against this one's lines);
 * - adjustments for every closed month show on the month after the latest closed month.
 */

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

/** "2026-11" → "2026-12". */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The month's first and next month's first instant in the zone: [start, end). */
export function monthBounds(month: string, zone: string): { start: Date; end: Date } {
  return { start: startOfDay(`${month}-01`, zone), end: startOfDay(`${nextMonth(month)}-01`, zone) };
}

/** The zone's month at `instant`. */
export function monthIn(zone: string, instant: Date): string {
  return dayIn(zone, instant).slice(0, 7);
}

/** "2026-11" ↔ the date column value "2026-11-01". */
export function monthDate(month: string): string {
  return `${month}-01`;
}

export type CloseRefusal = "not_ended" | "later_closed" | "already_closed" | "skips_month";

export function closeRefusal(month: string, zone: string, now: Date, closedMonths: readonly string[]): CloseRefusal | null {
  if (closedMonths.includes(month)) return "already_closed";
  if (month >= monthIn(zone, now)) return "not_ended";
  if (closedMonths.some((m) => m > month)) return "later_closed";
  const latest = [...closedMonths].sort().at(-1);
  if (latest && month !== nextMonth(latest)) return "skips_month";
  return null;
}

export type ReopenRefusal = "not_closed" | "later_closed";

export function reopenRefusal(month: string, closedMonths: readonly string[]): ReopenRefusal | null {
  if (!closedMonths.includes(month)) return "not_closed";
  if (closedMonths.some((m) => m > month)) return "later_closed";
  return null;
}

/** The month that carries the adjustments of every closed month: the one after the latest closed. */
export function adjustmentMonth(closedMonths: readonly string[]): string | null {
  const latest = [...closedMonths].sort().at(-1);
  return latest ? nextMonth(latest) : null;
}

export const REFUSAL_TEXT: Record<CloseRefusal | ReopenRefusal, string> = {
  not_ended: "The month has not ended yet in the organization's time zone.",
  later_closed: "A later month is closed: months close in order and only the latest closed month can be reopened.",
  already_closed: "This month is already closed.",
  skips_month: "Months close in order: close the month after the latest closed month first.",
  not_closed: "This month is not closed.",
};
