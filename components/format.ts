/**
 * Display formatting shared by dashboard components: the one place money, prices, counts,
 * percentages, days, months and timestamps become text (issue 12: one formatter, one date format).
 * Money arrives as decimal strings (Postgres `numeric`) and is passed to Intl as a string, which
 * formats it without going through a float. Rounding never hides a cost: a non-zero amount that
 * would read "€0.00" reads "< €0.01", and moneyTitle() gives the exact value for a tooltip
 * whenever the shown text drops digits. Days are ISO (2026-11-24), months 2026-11, timestamps
 * "2026-11-24 19:15 UTC" (calls to the second), always in UTC so server and browser agree.
 */

import { Decimal } from "decimal.js";

type NumericString = `${number}`;

const DECIMAL = /^-?\d+(\.\d+)?$/;

function isNumericString(value: string): value is NumericString {
  return DECIMAL.test(value);
}

/**
 * How many decimals an amount keeps: `cents` rounds to two (totals, budgets); `call` keeps up to
 * eight (one call costs fractions of a cent); `rate` is a price per million tokens with its
 * trailing zeros trimmed ("$0.8", "$2.5", "$0.075"); `exact` keeps every digit (tooltips).
 */
export type MoneyPrecision = "cents" | "call" | "rate" | "exact";

export interface MoneyFormatOptions {
  /** "€1.2K", for chart axes (overrides `precision`). Prefer formatMoneyTick for ticks. */
  compact?: boolean;
  precision?: MoneyPrecision;
}

const PRECISION: Record<MoneyPrecision, Intl.NumberFormatOptions> = {
  cents: { maximumFractionDigits: 2 },
  call: { minimumFractionDigits: 2, maximumFractionDigits: 8 },
  rate: { minimumFractionDigits: 0, maximumFractionDigits: 10 },
  exact: { minimumFractionDigits: 2, maximumFractionDigits: 20 },
};

/** The smallest amount each precision can show, for "< €0.01". */
const SMALLEST: Record<MoneyPrecision, string> = { cents: "0.01", call: "0.00000001", rate: "0.0000000001", exact: "0" };

const COMPACT: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };

const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string, digits: string, options: Intl.NumberFormatOptions): Intl.NumberFormat | null {
  const key = `${currency}:${digits}`;
  if (!moneyFormats.has(key)) {
    try {
      moneyFormats.set(key, new Intl.NumberFormat("en", { style: "currency", currency, ...options }));
    } catch {
      // An unknown ISO code from the database must not break the page.
      moneyFormats.set(key, null);
    }
  }
  return moneyFormats.get(key) ?? null;
}

/** Whether a decimal string is below `smallest` in size but not zero (digits only, no float). */
function hiddenByRounding(amount: string, smallest: string): boolean {
  const abs = new Decimal(amount).abs();
  return !abs.isZero() && abs.lt(new Decimal(smallest).div(2));
}

/**
 * "€1,234.57" for ("1234.5678", "EUR"); "< €0.01" for a non-zero amount that would round to
 * "€0.00" (never "€0.00" for a real cost); compact gives "€1.2K"; "—" when the amount or the
 * currency is missing. Pass amounts as decimal strings; a number is accepted only for values
 * that are already approximate (axis ticks). An unknown currency or a malformed amount is shown
 * as it came ("12.5 XYZ").
 */
export function formatMoney(amount: string | number | null, currency: string | null, options: MoneyFormatOptions = {}): string {
  if (amount === null || currency === null) return "—";
  const precision = options.precision ?? "cents";
  const format = options.compact ? moneyFormat(currency, "compact", COMPACT) : moneyFormat(currency, precision, PRECISION[precision]);
  if (!format) return `${amount} ${currency}`;
  if (typeof amount === "number") return format.format(amount);
  if (!isNumericString(amount)) return `${amount} ${currency}`;
  if (!options.compact && precision !== "exact" && hiddenByRounding(amount, SMALLEST[precision])) {
    const smallest = format.format(SMALLEST[precision] as NumericString);
    return amount.startsWith("-") ? `> -${smallest}` : `< ${smallest}`;
  }
  return format.format(amount);
}

/** Every digit of an amount ("€0.000012"), for a title or tooltip. */
export function formatMoneyExact(amount: string | null, currency: string | null): string {
  return formatMoney(amount, currency, { precision: "exact" });
}

/**
 * The exact amount when the shown text drops digits ("€0.004567" behind "< €0.01", "€12.345"
 * behind "€12.35"); undefined when nothing is hidden. Put it in the element's title.
 */
export function moneyTitle(amount: string | null, currency: string | null, precision: MoneyPrecision = "cents"): string | undefined {
  if (amount === null || currency === null || !isNumericString(amount)) return undefined;
  const exact = formatMoneyExact(amount, currency);
  return exact === formatMoney(amount, currency, { precision }) ? undefined : exact;
}

/** A price per million tokens, trailing zeros trimmed: "$0.8", "€2.5", "$0.075". */
export function formatPrice(amount: string | null, currency: string | null): string {
  return formatMoney(amount, currency, { precision: "rate" });
}

const tickFormats = new Map<string, Intl.NumberFormat | null>();

/**
 * A chart axis tick: enough decimals for the tick itself, so 0.25 reads "€0.25" (not "€0.3"),
 * 0.5 reads "€0.50", 2 reads "€2"; from 1,000 on compact ("€1.5K").
 */
export function formatMoneyTick(value: number, currency: string): string {
  if (Math.abs(value) >= 1000) return formatMoney(value, currency, { compact: true });
  const text = Number(value.toPrecision(12)).toString();
  const decimals = text.includes("e") ? 8 : (text.split(".")[1]?.length ?? 0);
  const digits = decimals === 0 ? 0 : Math.max(2, Math.min(decimals, 8));
  const key = `${currency}:${digits}`;
  if (!tickFormats.has(key)) {
    try {
      tickFormats.set(key, new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }));
    } catch {
      tickFormats.set(key, null);
    }
  }
  return tickFormats.get(key)?.format(value) ?? `${value} ${currency}`;
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

/**
 * "2026-11-24": a calendar day, ISO everywhere (tables, ranges, chart axes and tooltips). The
 * style argument is kept for callers; both styles are the one ISO form.
 */
export function formatDay(day: string, _style: "short" | "long" = "short"): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toISOString().slice(0, 10);
}

/** "2026-11" for "2026-11" or a day in it ("2026-11-01"): a calendar month, ISO like days. */
export function formatMonth(month: string, _style: "short" | "long" = "short"): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return date.toISOString().slice(0, 7);
}

function isoMinutes(iso: string | Date): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace("T", " ").slice(0, 16);
}

/** "2026-11-24 19:15 UTC": when something was created, used or takes effect (the one timestamp form). */
export function formatUtc(iso: string): string {
  const text = isoMinutes(iso);
  return text === null ? iso : `${text} UTC`;
}

/** "2026-11-24 19:15 UTC" (24-hour clock): the same form as formatUtc. */
export function formatDateTime(iso: string): string {
  return formatUtc(iso);
}

/** "2026-11-24 19:15" (UTC), for narrow table cells; the full form goes in the title. */
export function formatShortDateTime(iso: string): string {
  return isoMinutes(iso) ?? iso;
}

/** "2026-11-24 19:15:02 UTC": a recorded call's time to the second, the same form with seconds. */
export function formatTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
