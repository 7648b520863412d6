import { AlertTriangle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Money } from "@/components/money";
import type { CostsData } from "@/lib/db/costs";

/** Which currency the page reports in, which rates were used, and what could not be converted. */
export function CurrencyNote({ data }: { data: CostsData }) {
  const { reporting, currencies, total } = data;
  const foreign = currencies.filter((c) => c.currency !== reporting.currency);
  const unconverted = Object.entries(total.unconverted);
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-muted-foreground">
        Amounts in <span className="font-medium text-foreground">{reporting.currency}</span>
        {reporting.fromSettings.currency ? " (setting reporting.currency)" : " (default; set reporting.currency to change it)"}.{" "}
        {foreign.length === 0
          ? "No conversion needed in this range."
          : foreign.map((c) => (c.rate ? `Rate used: 1 ${c.currency} = ${c.rate} ${reporting.currency} (reporting.fx_rates).` : null)).filter(Boolean).join(" ")}
      </p>
      {unconverted.length > 0 && (
        <Alert>
          <AlertTriangle aria-hidden />
          <AlertTitle>Some amounts are not converted</AlertTitle>
          <AlertDescription>
            {unconverted.map(([currency]) => (
              <p key={currency}>
                <Money amount={total.unconverted[currency] ?? "0"} currency={currency} /> not converted: no {currency} rate. They are
                listed apart and left out of the {reporting.currency} totals and chart; add a rate for {currency} in the
                reporting.fx_rates setting.
              </p>
            ))}
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}
