import { Decimal } from "decimal.js";
import type { Kysely } from "kysely";
import { loadReportingCurrency } from "./currency";
import { organizationFigures } from "./budget-forecast";
import type { DB } from "./schema";
import { timeZoneFor } from "./time-zone";

/**
 * Records forecast and spike alerts in budget_alerts (kinds 'forecast' and 'spike'), for the cron
 * route /api/cron/budget-forecast; the existing dispatcher delivers them to the webhooks.
 * Idempotent: one forecast alert per organization and month (partial unique index
 * budget_alerts_forecast_key), one spike alert per organization and day (budget_alerts_spike_key);
 * a second run the same day inserts nothing. Service role.
 *
 * - forecast: the organization × month budget (the mirrored one) against the month-end forecast
 *   in the budget's currency; recorded the first time the forecast is above the budget.
 * - spike: today or yesterday (the reporting zone's days) above 3x the median of the 14 days
 *   before it, in the budget's currency (the reporting currency without a budget).
 */

export interface ForecastRunResult {
  organizations: number;
  forecastAlerts: number;
  spikeAlerts: number;
  /** Organizations skipped: spend in a currency without a rate. */
  unconvertible: string[];
}

const percentOf = (value: Decimal, of: Decimal) =>
  of.isZero() ? 1000 : Math.max(1, Math.min(1000, value.div(of).times(100).floor().toNumber()));

export async function recordForecastAlerts(db: Kysely<DB>, now = new Date()): Promise<ForecastRunResult> {
  const orgs = await db
    .selectFrom("organizations as o")
    .leftJoin("budgets as b", (j) => j.onRef("b.organization_id", "=", "o.id").on("b.app_id", "is", null).on("b.api_key_id", "is", null).on("b.period", "=", "month"))
    .select(["o.id", "o.slug", "b.id as budget_id", "b.amount", "b.currency", "b.policy"])
    .orderBy("o.slug")
    .execute();
  const result: ForecastRunResult = { organizations: orgs.length, forecastAlerts: 0, spikeAlerts: 0, unconvertible: [] };
  const fx = await db.transaction().execute((tx) => loadReportingCurrency(tx));
  for (const o of orgs) {
    const zone = await db.transaction().execute((tx) => timeZoneFor(tx, o.id));
    const currency = o.currency ?? fx.currency;
    const figures = await organizationFigures(db, { organizationId: o.id, zone, currency, fx, now });
    if (!figures.ok) {
      result.unconvertible.push(o.slug);
      continue;
    }
    const policy = o.policy ?? "alert";
    if (o.amount !== null && o.budget_id !== null && figures.forecast.monthEnd.gt(o.amount)) {
      const inserted = await db
        .insertInto("budget_alerts")
        .values({
          organization_id: o.id, kind: "forecast", budget_id: o.budget_id, month: `${figures.today.slice(0, 7)}-01`, day: figures.today,
          threshold_pct: percentOf(figures.forecast.monthEnd, new Decimal(o.amount)),
          spent: figures.forecast.monthEnd.toDecimalPlaces(12).toFixed(), budget: new Decimal(o.amount).toFixed(), currency, policy,
        })
        .onConflict((oc) => oc.columns(["organization_id", "month"]).where("kind", "=", "forecast").doNothing())
        .returning("id")
        .execute();
      result.forecastAlerts += inserted.length;
    }
    for (const spike of figures.spikes) {
      const inserted = await db
        .insertInto("budget_alerts")
        .values({
          organization_id: o.id, kind: "spike", budget_id: o.budget_id, month: `${spike.day.slice(0, 7)}-01`, day: spike.day,
          threshold_pct: percentOf(spike.spent, spike.median),
          spent: spike.spent.toDecimalPlaces(12).toFixed(), budget: spike.median.toDecimalPlaces(12).toFixed(), currency, policy,
        })
        .onConflict((oc) => oc.columns(["organization_id", "day"]).where("kind", "=", "spike").doNothing())
        .returning("id")
        .execute();
      result.spikeAlerts += inserted.length;
    }
  }
  return result;
}
