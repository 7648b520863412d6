import { recordForecastAlerts } from "@/lib/db/budget-forecast-alerts";
import { serviceDb } from "@/lib/db/service";
import { getEnv } from "@/lib/env";
import { dispatchBudgetAlerts } from "@/lib/finance/budget-webhooks";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { cronAuthorized } from "./cron-auth";

/**
 * Vercel Cron: computes every organization's month-end forecast and spike check
 * (lib/db/budget-forecast-alerts.ts), records the alerts that are new (once per organization and
 * month for a forecast, per organization and day for a spike: a rerun records nothing), then
 * delivers due alerts through the budget webhook dispatcher. Service role after the cron secret.
 */
export async function handleCronBudgetForecast(request: Request): Promise<Response> {
  try {
    if (!cronAuthorized(request)) throw new GatewayError(401, "authentication_error", "Missing or wrong cron secret.");
    const db = await serviceDb();
    const recorded = await recordForecastAlerts(db);
    const delivery = await dispatchBudgetAlerts(db, { secret: getEnv().BUDGET_WEBHOOK_SECRET, limit: 100 });
    return Response.json({ ...recorded, delivery });
  } catch (err) {
    return errorResponse(err);
  }
}
