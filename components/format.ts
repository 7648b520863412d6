/**
 * Display formatting shared by dashboard components: the one place money, counts, percentages,
 * days, months and timestamps become text. Money arrives as decimal strings (Postgres `numeric`)
 * and is passed to Intl as a string, which formats it without going through a float. Calendar days
 * and timestamps are formatted in UTC so the server's and the browser's rendering agree.
 */

type NumericString = `${number}`;

const DECIMAL = /^-?\d+(\.\d+)?$/;

function isNumericString(value: string): value is NumericString {
  return DECIMAL.test(value);
}

/**
 * How many decimals an amount keeps: `cents` rounds to two (totals, budgets); `call` keeps up to
 * six (one call costs fractions of a cent); `rate` keeps up to eight (a price per million tokens,
 * the column's scale). The last two always show at least two.
 */
export type MoneyPrecision = "cents" | "call" | "rate";

export interface MoneyFormatOptions {
  /** "€1.2K", for chart axes (overrides `precision`). */
  compact?: boolean;
  precision?: MoneyPrecision;
}

const PRECISION: Record<MoneyPrecision, Intl.NumberFormatOptions> = {
  cents: { maximumFractionDigits: 2 },
  call: { minimumFractionDigits: 2, maximumFractionDigits: 6 },
  rate: { minimumFractionDigits: 2, maximumFractionDigits: 8 },
};

const COMPACT: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };

const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string, digits: "compact" | MoneyPrecision): Intl.NumberFormat | null {
  const key = `${currency}:${digits}`;
  if (!moneyFormats.has(key)) {
    try {
      moneyFormats.set(key, new Intl.NumberFormat("en", { style: "currency", currency, ...(digits === "compact" ? COMPACT : PRECISION[digits]) }));
    } catch {
      // An unknown ISO code from the database must not break the page.
      moneyFormats.set(key, null);
    }
  }
  return moneyFormats.get(key) ?? null;
}

/**
 * "€1,234.57" for ("1234.5678", "EUR"); compact gives "€1.2K" for chart axes; "—" when the amount
 * or the currency is missing. Pass amounts as decimal strings; a number is accepted only for values
 * that are already approximate (axis ticks). An unknown currency or a malformed amount is shown
 * as it came ("12.5 XYZ").
 */
export function formatMoney(amount: string | number | null, currency: string | null, options: MoneyFormatOptions = {}): string {
  if (amount === null || currency === null) return "—";
  const format = moneyFormat(currency, options.compact ? "compact" : (options.precision ?? "cents"));
  if (!format) return `${amount} ${currency}`;
  if (typeof amount === "number") return format.format(amount);
  return isNumericString(amount) ? format.format(amount) : `${amount} ${currency}`;
}

const integerFormat = new Intl.NumberFormat("en");

const compactFormat = new Intl.NumberFormat("en", { notation: "compact" });

/** "12,345" (or "12K" compact); "—" when there is no value. */
export function formatCount(value: number | null, options: { compact?: boolean } = {}): string {
  if (value === null) return "—";
  return (options.compact ? compactFormat : integerFormat).format(value);
}

/** `value` is already a percentage (0-100). */
export function formatPercent(value: number, fractionDigits = 1): string {
  return `${value.toLocaleString("en", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })}%`;
}

const dayFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const longDayFormat = new Intl.DateTimeFormat("en", {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/** "Nov 24" for "2026-11-24" (a calendar day, so formatted in UTC to avoid shifting it). */
export function formatDay(day: string, style: "short" | "long" = "short"): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return (style === "long" ? longDayFormat : dayFormat).format(date);
}

const monthFormat = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });
const longMonthFormat = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

/**
 * "Nov 2026" (long: "November 2026") for "2026-11" or a day in it ("2026-11-01"): a calendar
 * month, formatted in UTC so it never shifts.
 */
export function formatMonth(month: string, style: "short" | "long" = "short"): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return (style === "long" ? longMonthFormat : monthFormat).format(date);
}

const utcFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "Nov 24, 2026, 7:15 PM UTC": when something was created, used or takes effect. */
export function formatUtc(iso: string): string {
  return `${utcFormat.format(new Date(iso))} UTC`;
}

const dateTimeFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short" });

/** "Nov 24, 2026, 19:15 UTC" (24-hour clock). */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

const shortDateTimeFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

/** "Nov 24, 19:15" (UTC), for narrow table cells; the full form goes in the title. */
export function formatShortDateTime(iso: string): string {
  return shortDateTimeFormat.format(new Date(iso));
}

/** "2026-11-24 19:15:02 UTC": a recorded call's time to the second, sortable by eye. */
export function formatTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
