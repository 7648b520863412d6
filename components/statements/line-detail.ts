import { formatCount } from "@/components/format";
import type { StatementLine } from "@/lib/engine/statement";

/**
 * A statement line's secondary detail as labelled text, written once for the row drawer on the
 * statement page (components/statements/statement-line-details.tsx) and the detail line of the
 * print view (statement-print.tsx), so the page, the PDF and the CSV carry the same fields.
 * Token counts by kind; pricing rule; the client price before conversion and its rate, exact.
 */

/** Tokens by kind (reasoning tokens are billed as output), every kind named even when 0. */
export function tokensByKind(l: StatementLine): [string, string][] {
  return [
    ["Input tokens", formatCount(l.tokens.prompt)],
    ["Cached input tokens", formatCount(l.tokens.cached)],
    ["Output tokens", formatCount(l.tokens.completion)],
    ["Reasoning tokens", formatCount(l.tokens.reasoning)],
    ["Cache writes (5 min)", formatCount(l.tokens.cacheWrite5m)],
    ["Cache writes (1 h)", formatCount(l.tokens.cacheWrite1h)],
  ];
}

/** The pricing rule; `markupPct` null when the line was priced with another statement's terms (an adjustment). */
export function pricingText(l: StatementLine, markupPct: string | null): string {
  if (l.pricing === "price_list") return "Client price list (no markup)";
  return markupPct === null ? "Provider cost + the corrected month's markup" : `Provider cost + ${markupPct} % markup`;
}

/** The client's price before conversion, exact, in its own currency; or why there is none. */
export function clientPriceText(l: StatementLine): string {
  return l.sourceAmount === null ? "not billed: no cost" : `${l.sourceAmount} ${l.sourceCurrency ?? ""}`.trim();
}

/** The rate the client price was converted at, as "1 USD = 0.92 EUR", or why it was not. */
export function rateText(l: StatementLine, billingCurrency: string): string {
  if (l.sourceAmount === null) return "—";
  if (l.rate === null) return l.sourceCurrency ? `no ${l.sourceCurrency} rate: not converted` : "no rate: not converted";
  return `1 ${l.sourceCurrency ?? billingCurrency} = ${l.rate} ${billingCurrency}`;
}
