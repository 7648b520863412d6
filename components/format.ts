/**
 * Display formatting shared by dashboard components. Money arrives as decimal strings (Postgres
 * `numeric`) and is passed to Intl as a string, which formats it without going through a float.
 */

type NumericString = `${number}`;

const DECIMAL = /^-?\d+(\.\d+)?$/;

function isNumericString(value: string): value is NumericString {
  return DECIMAL.test(value);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat | null {
  const key = `${currency}:${compact}`;
  const cached = moneyFormats.get(key);
  if (cached) return cached;
  try {
    const format = new Intl.NumberFormat("en", {
      style: "currency",
      currency,
      ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : { maximumFractionDigits: 2 }),
    });
    moneyFormats.set(key, format);
    return format;
  } catch {
    // An unknown ISO code from the database must not break the page.
    return null;
  }
}

/**
 * "€1,234.57" for ("1234.5678", "EUR"); compact gives "€1.2K" for chart axes. Pass amounts as
 * decimal strings; a number is accepted only for values that are already approximate (axis ticks).
 */
export function formatMoney(amount: string | number, currency: string, options: { compact?: boolean } = {}): string {
  const format = moneyFormat(currency, options.compact ?? false);
  if (!format) return `${amount} ${currency}`;
  if (typeof amount === "number") return format.format(amount);
  return isNumericString(amount) ? format.format(amount) : `${amount} ${currency}`;
}

const integerFormat = new Intl.NumberFormat("en");

const compactFormat = new Intl.NumberFormat("en", { notation: "compact" });

export function formatCount(value: number, options: { compact?: boolean } = {}): string {
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
