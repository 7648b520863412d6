import { Decimal } from "decimal.js";
import { z } from "zod";

/**
 * The one currency the Costs page reports in, and the conversion rates into it, from the global
 * settings `reporting.currency` and `reporting.fx_rates` (lib/db/currency.ts reads them under
 * RLS; the gateway reads them from its snapshot). Amounts in a currency without a rate are never
 * converted (and never added): they are reported on their own. Pure: no I/O.
 */

/**
 * Decimal with room for exact money arithmetic: the default 20 significant digits can round a
 * numeric(20,12) sum times a rate; at 60 no realistic amount is rounded, so the order in which
 * pages add and convert never changes a digit.
 */
export const Exact = Decimal.clone({ precision: 60 });

export const REPORTING_CURRENCY_KEY = "reporting.currency";
export const FX_RATES_KEY = "reporting.fx_rates";
export const DEFAULT_REPORTING_CURRENCY = "EUR";

export interface ReportingCurrency {
  currency: string;
  /** 1 unit of the key currency = `rate` units of the reporting currency (decimal strings). */
  rates: Record<string, string>;
  /** Whether the values came from settings or are the built-in defaults (shown on the page). */
  fromSettings: { currency: boolean; rates: boolean };
}

const currencyCode = z.string().regex(/^[A-Z]{3}$/);
// A rate is a positive decimal; JSON numbers are accepted but kept as their exact text.
const rate = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && new Decimal(v).gt(0));
const ratesSchema = z.record(currencyCode, rate);

/** Pure: settings values (as stored JSON) → the reporting currency, ignoring malformed values. */
export function reportingCurrencyFrom(currencyValue: unknown, ratesValue: unknown): ReportingCurrency {
  const currency = currencyCode.safeParse(currencyValue);
  const rates = ratesSchema.safeParse(ratesValue);
  return {
    currency: currency.success ? currency.data : DEFAULT_REPORTING_CURRENCY,
    rates: rates.success ? rates.data : {},
    fromSettings: { currency: currency.success, rates: rates.success },
  };
}

/** The rate from `from` into the reporting currency: 1 for itself, null when there is none. */
export function rateFor(reporting: ReportingCurrency, from: string): Decimal | null {
  if (from === reporting.currency) return new Exact(1);
  const r = reporting.rates[from];
  return r === undefined ? null : new Exact(r);
}

/**
 * Sums amounts given per currency: those with a rate are converted and added into one total in
 * the reporting currency; the others are returned per currency, unconverted.
 */
export interface ConvertedAmount {
  /** Exact decimal string in the reporting currency. */
  amount: string;
  /** Currency → exact amount that could not be converted (no rate). */
  unconverted: Record<string, string>;
}

/**
 * The one conversion rule of every page and export: amounts are first added per currency, then
 * each currency's sum is multiplied once by its rate, so any grouping of the same calls gives the
 * same total to the last digit. Arithmetic runs at 60 significant digits (numeric(20,12) sums
 * times a rate stay exact).
 */
export function convertAmounts(parts: readonly { currency: string; amount: string }[], reporting: ReportingCurrency): ConvertedAmount {
  const perCurrency = new Map<string, Decimal>();
  for (const part of parts) perCurrency.set(part.currency, (perCurrency.get(part.currency) ?? new Exact(0)).plus(part.amount));
  let total: Decimal = new Exact(0);
  const unconverted = new Map<string, Decimal>();
  for (const [currency, amount] of [...perCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const rate = rateFor(reporting, currency);
    if (rate) total = total.plus(amount.times(rate));
    else unconverted.set(currency, amount);
  }
  return {
    amount: total.toFixed(),
    unconverted: Object.fromEntries([...unconverted].map(([c, a]) => [c, a.toFixed()])),
  };
}

/** Converts one amount; null when its currency has no rate (the caller keeps it apart). */
export function convertAmount(amount: string, currency: string, reporting: ReportingCurrency): string | null {
  const rate = rateFor(reporting, currency);
  return rate ? new Exact(amount).times(rate).toFixed() : null;
}
