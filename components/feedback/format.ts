import { formatPercent } from "@/components/format";

/** "4.31" for a 1-5 average; "—" when there is none. */
export function formatScore(value: number | string | null): string {
  if (value === null) return "—";
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : "—";
}

/** A 0-1 rate as "87.5%"; "—" when no row stated it. */
export function formatRate(value: number | null): string {
  return value === null ? "—" : formatPercent(value * 100);
}
