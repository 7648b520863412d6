import { sql, type Kysely } from "kysely";
import { sumInBudgetCurrency } from "@/lib/engine/budget";
import { forecastMonthEnd, PROFILE_WEEKS, spikeOn, SPIKE_TRAILING_DAYS, type DaySpend, type Forecast, type Spike } from "@/lib/engine/budget-forecast";
import type { ReportingCurrency } from "@/lib/engine/currency";
import { addDays, dayIn, hasWholeHourDays, rangeInstants } from "@/lib/engine/date-range";
import type { DB } from "./schema";

/**
 * An organization's daily spend in the reporting time zone, in one currency, and the forecast
 * and spike figures computed from it (lib/engine/budget-forecast.ts). Days come from the hourly
 * rollup when the zone's days are whole UTC hours (every zone with a whole-hour offset, the
 * Costs page's rule), else from the ledger. Amounts in other currencies are converted with
 * reporting.fx_rates; a day with spend in a currency without a rate makes the figures
 * unavailable (listed, never dropped). Runs under the caller's RLS (the Budgets page) or as the
 * service role (the cron route).
 */

const HISTORY_DAYS = PROFILE_WEEKS * 7;

export type OrgFigures =
  | { ok: true; today: string; series: DaySpend[]; forecast: Forecast; spikes: Spike[] }
  | { ok: false; today: string; unconvertible: string[] };

async function spendByDay(db: Kysely<DB>, organizationId: string, zone: string, from: string, to: string) {
  const { start, end } = rangeInstants({ from, to }, zone);
  const hourly = hasWholeHourDays(zone, { from, to });
  const { rows } = hourly
    ? await sql<{ day: string; currency: string; amount: string }>`
        select ((h.hour at time zone ${zone})::date)::text as day, h.currency, sum(h.cost)::text as amount
        from public.llm_call_hourly h
        where h.organization_id = ${organizationId}::uuid and h.hour >= ${start} and h.hour < ${end} and h.currency is not null
        group by 1, 2`.execute(db)
    : await sql<{ day: string; currency: string; amount: string }>`
        select ((c.created_at at time zone ${zone})::date)::text as day, c.currency, sum(c.cost)::text as amount
        from public.llm_calls c
        where c.organization_id = ${organizationId}::uuid and c.created_at >= ${start} and c.created_at < ${end}
          and c.currency is not null and c.cost is not null
        group by 1, 2`.execute(db);
  const { rows: [first] } = await sql<{ first: string | null }>`
    select ((min(h.hour) at time zone ${zone})::date)::text as first from public.llm_call_hourly h
    where h.organization_id = ${organizationId}::uuid and h.calls > 0`.execute(db);
  return { rows, first: first?.first ?? null };
}

/** The days from PROFILE_WEEKS weeks before today through today, in `currency`, with forecast and spikes (today, yesterday). */
export async function organizationFigures(
  db: Kysely<DB>,
  { organizationId, zone, currency, fx, now = new Date() }: { organizationId: string; zone: string; currency: string; fx: ReportingCurrency; now?: Date },
): Promise<OrgFigures> {
  const today = dayIn(zone, now);
  const monthStart = `${today.slice(0, 7)}-01`;
  const earliest = [addDays(today, -HISTORY_DAYS), addDays(today, -(SPIKE_TRAILING_DAYS + 1)), monthStart].sort()[0]!;
  const { rows, first } = await spendByDay(db, organizationId, zone, earliest, today);
  const parts = new Map<string, { currency: string; amount: string }[]>();
  for (const r of rows) parts.set(r.day, [...(parts.get(r.day) ?? []), { currency: r.currency, amount: r.amount }]);
  const series: DaySpend[] = [];
  const missing = new Set<string>();
  for (const [day, p] of [...parts].sort(([a], [b]) => a.localeCompare(b))) {
    const sum = sumInBudgetCurrency(p, currency, fx);
    if (sum.ok) series.push({ day, amount: sum.amount.toFixed() });
    else sum.unconvertible.forEach((c) => missing.add(c));
  }
  if (missing.size > 0) return { ok: false, today, unconvertible: [...missing].sort() };
  const firstDay = first && first > earliest ? first : earliest;
  const spikes = [addDays(today, -1), today].map((d) => spikeOn(series, d)).filter((s): s is Spike => s !== null);
  return { ok: true, today, series, forecast: forecastMonthEnd(series, today, firstDay), spikes };
}
