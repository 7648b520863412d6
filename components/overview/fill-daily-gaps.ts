import type { OverviewStats } from "@/lib/db/overview";

type Day = OverviewStats["daily"][number];

const DAY_MS = 86_400_000;

/**
 * The rollups have no row for a day without calls; for a trend that day is a real zero, so the
 * gaps between the first and last day are filled rather than drawn as a straight line across.
 */
export function fillDailyGaps(daily: readonly Day[]): Day[] {
  const first = daily[0];
  const last = daily.at(-1);
  if (!first || !last) return [];
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const out: Day[] = [];
  const end = Date.parse(`${last.day}T00:00:00Z`);
  for (let t = Date.parse(`${first.day}T00:00:00Z`); t <= end; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, cost: "0", calls: 0, failed: 0 });
  }
  return out;
}
