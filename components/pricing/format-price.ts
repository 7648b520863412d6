/**
 * Prices per million tokens go down to fractions of a cent (0.075), so they keep up to 8 decimals
 * (the column's scale) instead of the 2 a money amount shows. Decimal strings go to Intl as
 * strings, never through a float.
 */
const formats = new Map<string, Intl.NumberFormat | null>();

function formatFor(currency: string): Intl.NumberFormat | null {
  if (!formats.has(currency)) {
    try {
      formats.set(currency, new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 8 }));
    } catch {
      formats.set(currency, null);
    }
  }
  return formats.get(currency) ?? null;
}

export function formatPerMtok(amount: string | null, currency: string): string {
  if (amount === null) return "—";
  const format = formatFor(currency);
  return format ? format.format(amount as `${number}`) : `${amount} ${currency}`;
}

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Timestamps in UTC so the server's and the browser's rendering agree; the UI says "UTC". */
export function formatUtc(iso: string): string {
  return `${dateTime.format(new Date(iso))} UTC`;
}
