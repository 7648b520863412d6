/** Money arrives as a decimal string; Intl formats it without turning the sum into a float first. */
export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount === null || currency === null) return "—";
  return new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(
    amount as unknown as number,
  );
}

export function formatInt(n: number | null): string {
  return n === null ? "—" : new Intl.NumberFormat("en").format(n);
}

export function formatTime(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
