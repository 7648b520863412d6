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

const dateTime = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short" });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

const shortDateTime = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

/** "Nov 24, 19:15" (UTC), for narrow table cells; the full form goes in the title. */
export function formatShortDateTime(iso: string): string {
  return shortDateTime.format(new Date(iso));
}
