import { formatMoney, moneyTitle, type MoneyPrecision } from "@/components/format";

/**
 * An amount as every dashboard page shows it: formatted by components/format.ts (cents, "< €0.01"
 * for a tiny real cost), with the exact value in the title when rounding hides digits and in
 * `data-amount` (the exact decimal string, what the CSV carries) for tests and tools.
 */
export function Money({ amount, currency, precision = "cents", className }: { amount: string | null; currency: string | null; precision?: MoneyPrecision; className?: string }) {
  return (
    <span className={className} title={moneyTitle(amount, currency, precision)} data-amount={amount ?? undefined} data-currency={currency ?? undefined}>
      {formatMoney(amount, currency, { precision })}
    </span>
  );
}

/** Amounts left apart because their currency has no rate: "+ $0.63 not converted: no USD rate". */
export function UnconvertedNote({ unconverted, className }: { unconverted: Record<string, string>; className?: string }) {
  const entries = Object.entries(unconverted).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <span className={className} data-testid="not-converted">
      {entries.map(([currency, amount], i) => (
        <span key={currency}>
          {i > 0 && "; "}+ <Money amount={amount} currency={currency} /> not converted: no {currency} rate
        </span>
      ))}
    </span>
  );
}
