import { addDays } from "@/lib/engine/date-range";
import { Dec } from "@/lib/engine/price";

/**
 * Forecast and spike detection on an organization's daily spend (issue 13, "Budgets that finance
 * can plan with"). Pure: lib/db/budget-forecast.ts reads the days (in the reporting time zone, in
 * the budget's currency) and the cron route /api/cron/budget-forecast records the alerts.
 *
 * Forecast month-end = spend of the month's finished days + for today and every remaining day
 * the weekday's expected spend: profile(weekday) = the average spend of that weekday over the
 * trailing PROFILE_WEEKS weeks (the finished days before today; days without calls count 0),
 * scaled by the recent level = spend of the last 7 finished days / the profile's sum over those
 * same 7 weekdays (1 when the profile is all 0). Today counts as the larger of what it already
 * spent and its expected figure, so a busy morning is never forecast away.
 *
 * Spike: a day's spend above SPIKE_FACTOR × the median of the SPIKE_TRAILING_DAYS days before it
 * (days without calls count 0). A median of 0 never spikes: an organization that mostly does
 * not call would otherwise alert on every call it makes.
 */

export const PROFILE_WEEKS = 8;
export const SPIKE_FACTOR = 3;
export const SPIKE_TRAILING_DAYS = 14;

export interface DaySpend {
  /** YYYY-MM-DD, a calendar day of the reporting time zone. */
  day: string;
  /** Exact decimal string. */
  amount: string;
}

export interface Forecast {
  /** Finished days of the month plus what today has spent so far. */
  monthToDate: Dec;
  /** Expected spend at month end. */
  monthEnd: Dec;
  /** The recent level the profile was scaled with. */
  level: Dec;
  /** Average spend per weekday (0 = Sunday) over the trailing weeks. */
  profile: Dec[];
}

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function lastDayOfMonth(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

function byDay(series: readonly DaySpend[]): Map<string, Dec> {
  const m = new Map<string, Dec>();
  for (const s of series) m.set(s.day, (m.get(s.day) ?? new Dec(0)).plus(s.amount));
  return m;
}

/**
 * `series`: the organization's spend per day, at least the PROFILE_WEEKS weeks before `today` and
 * the month so far (missing days = 0). `firstDay`: the first day with any history (weekdays before
 * it are not averaged in, so a new client is not forecast low); defaults to the series' first day.
 */
export function forecastMonthEnd(series: readonly DaySpend[], today: string, firstDay?: string): Forecast {
  const spend = byDay(series);
  const at = (d: string) => spend.get(d) ?? new Dec(0);
  const start = firstDay ?? [...spend.keys()].sort()[0] ?? today;

  const sums = Array.from({ length: 7 }, () => new Dec(0));
  const counts = Array.from({ length: 7 }, () => 0);
  for (let i = 1; i <= PROFILE_WEEKS * 7; i++) {
    const d = addDays(today, -i);
    if (d < start) break;
    sums[weekday(d)] = sums[weekday(d)]!.plus(at(d));
    counts[weekday(d)]! += 1;
  }
  const profile = sums.map((s, w) => (counts[w]! > 0 ? s.div(counts[w]!) : new Dec(0)));

  let recent = new Dec(0);
  let expectedRecent = new Dec(0);
  for (let i = 1; i <= 7; i++) {
    const d = addDays(today, -i);
    if (d < start) break;
    recent = recent.plus(at(d));
    expectedRecent = expectedRecent.plus(profile[weekday(d)]!);
  }
  const level = expectedRecent.isZero() ? new Dec(1) : recent.div(expectedRecent);
  // profile × recent / expected in that order: exact whenever the answer is (no 1/3 × 3 drift).
  const expected = (d: string) => (expectedRecent.isZero() ? profile[weekday(d)]! : profile[weekday(d)]!.times(recent).div(expectedRecent));

  const monthStart = `${today.slice(0, 7)}-01`;
  let finished = new Dec(0);
  for (let d = monthStart; d < today; d = addDays(d, 1)) finished = finished.plus(at(d));
  const todaySoFar = at(today);
  let monthEnd = finished.plus(Dec.max(todaySoFar, expected(today)));
  const end = lastDayOfMonth(today);
  for (let d = addDays(today, 1); d <= end; d = addDays(d, 1)) monthEnd = monthEnd.plus(expected(d));
  return { monthToDate: finished.plus(todaySoFar), monthEnd, level, profile };
}

/** The median of amounts (the mean of the two middle ones for an even count); 0 for none. */
export function median(amounts: readonly Dec[]): Dec {
  if (amounts.length === 0) return new Dec(0);
  const sorted = [...amounts].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
}

export interface Spike {
  day: string;
  spent: Dec;
  median: Dec;
}

/** The spike on `day`, or null: its spend against SPIKE_FACTOR × the trailing median. */
export function spikeOn(series: readonly DaySpend[], day: string, trailingDays = SPIKE_TRAILING_DAYS): Spike | null {
  const spend = byDay(series);
  const trailing = Array.from({ length: trailingDays }, (_, i) => spend.get(addDays(day, -(i + 1))) ?? new Dec(0));
  const m = median(trailing);
  const spent = spend.get(day) ?? new Dec(0);
  if (m.isZero() || !spent.gt(m.times(SPIKE_FACTOR))) return null;
  return { day, spent, median: m };
}
