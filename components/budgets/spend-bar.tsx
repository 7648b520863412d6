import { cn } from "@/lib/utils";

/**
 * Month-to-date spend as a bar against the budget, with marks at 80 % and 100 %. The bar's
 * scale runs to 120 % so an overrun stays visible; the exact figures are printed beside it.
 */
export function SpendBar({ pct, label }: { pct: string | null; label: string }) {
  if (pct === null) return <span className="text-xs text-muted-foreground">—</span>;
  const value = Number(pct);
  const scale = 120;
  const width = Math.min(value, scale) / scale * 100;
  const tone = value >= 100 ? "bg-destructive" : value >= 80 ? "bg-warning" : "bg-primary";
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.min(value, 100)}
      aria-valuetext={`${pct}% of the budget`}
      className="relative h-2.5 w-full min-w-24 rounded-full bg-muted"
    >
      <div className={cn("h-full rounded-full", tone)} style={{ width: `${width}%` }} />
      {[80, 100].map((mark) => (
        <span
          key={mark}
          aria-hidden
          title={`${mark} %`}
          className="absolute -top-1 h-[1.125rem] w-px bg-foreground/60"
          style={{ left: `${(mark / scale) * 100}%` }}
        />
      ))}
    </div>
  );
}
