import { sql } from "kysely";
import { monthBounds } from "@/lib/engine/statement-period";
import type { UserTx } from "./rls";

/**
 * Change marks of client statements (migration 20261208070001): per organization and UTC day, a
 * version that every statement touching that day's calls raises. The sum over a month's days
 * changes whenever anything in that month changed, so a closed month whose sum equals what the
 * latest close saw has a zero adjustment and is not re-read from the rollup. A month in a zone
 * other than UTC covers parts of two UTC days at its edges: both days count, so a change near
 * the edge can only cause a re-read that finds nothing, never a missed one.
 */

export interface MarkedMonth {
  /** YYYY-MM */
  month: string;
  timeZone: string;
}

/** Month → sum of its days' versions (a decimal string; "0" when no call ever touched it). */
export async function monthMarks(tx: UserTx, organizationId: string, months: readonly MarkedMonth[]): Promise<Record<string, string>> {
  if (months.length === 0) return {};
  const ranges = months.map((m) => {
    const { start, end } = monthBounds(m.month, m.timeZone);
    // Last instant inside the month: its UTC day is the month's last (possibly partial) UTC day.
    return { month: m.month, first: start.toISOString().slice(0, 10), last: new Date(end.getTime() - 1).toISOString().slice(0, 10) };
  });
  const values = sql.join(ranges.map((r) => sql`(${r.month}::text, ${r.first}::date, ${r.last}::date)`));
  const { rows } = await sql<{ month: string; sum: string }>`
    select r.month, coalesce(sum(m.version), 0)::text as sum
    from (values ${values}) as r (month, first_day, last_day)
    left join public.llm_call_statement_marks m
      on m.organization_id = ${organizationId} and m.day between r.first_day and r.last_day
    group by r.month`.execute(tx);
  return Object.fromEntries(rows.map((r) => [r.month, r.sum]));
}

/**
 * The closed months whose adjustment may be non-zero: every one, unless the latest close (by
 * closing time) recorded marks and the month's sum is still what it saw then.
 */
export function changedSinceLatestClose<T extends { month: string; closedAt: string; marksSeen: Record<string, string> | null }>(
  closed: readonly T[],
  current: Record<string, string>,
): T[] {
  const latest = closed.reduce<T | null>((a, s) => (a === null || s.closedAt > a.closedAt ? s : a), null);
  const seen = latest?.marksSeen;
  if (!seen) return [...closed];
  return closed.filter((s) => seen[s.month] === undefined || seen[s.month] !== current[s.month]);
}
