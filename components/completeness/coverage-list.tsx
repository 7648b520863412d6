import Link from "next/link";
import { formatCount, formatPercent } from "@/components/format";
import type { Coverage } from "@/lib/db/completeness";

/** Share of calls that carry each piece of metadata a complete record needs. */
export function CoverageList({
  coverage,
  calls,
  missingLinks = {},
}: {
  coverage: readonly Coverage[];
  calls: number;
  /** Field → the Calls page listing the calls missing it (drill-down). */
  missingLinks?: Partial<Record<Coverage["field"], string>>;
}) {
  return (
    <ul className="flex flex-col gap-4" aria-label="Metadata coverage">
      {coverage.map((c) => {
        const pct = calls > 0 ? (100 * c.present) / calls : 0;
        return (
          <li key={c.field} className="grid gap-1.5">
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <span className="font-medium">{c.label}</span>
              <span className="text-muted-foreground tabular-nums">
                {calls > 0 ? formatPercent(pct) : "—"} · {formatCount(c.present)} of {formatCount(calls)}
                {missingLinks[c.field] && calls - c.present > 0 && (
                  <>
                    {" · "}
                    <Link href={missingLinks[c.field] ?? "/calls"} className="underline underline-offset-4" data-drill="calls">
                      {formatCount(calls - c.present)} without {c.label.toLowerCase()}
                    </Link>
                  </>
                )}
              </span>
            </div>
            <div
              role="meter"
              aria-label={`${c.label} coverage`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(pct * 10) / 10}
              className="h-2 overflow-hidden rounded-full bg-muted"
            >
              <div className="h-full rounded-full bg-primary" style={{ width: `${pct}%` }} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
