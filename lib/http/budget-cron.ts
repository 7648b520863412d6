import { serviceDb } from "@/lib/db/service";
import { getEnv } from "@/lib/env";
import { dispatchBudgetAlerts } from "@/lib/finance/budget-webhooks";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { cronAuthorized } from "./cron-auth";

/**
 * Vercel Cron: delivers budget alerts that are due (new ones the gateway could not send, and
 * retries after a failure). Service role after the cron secret check: budget_alerts is read-only
 * for sessions, and no user is signed in here.
 */
export async function handleCronBudgetAlerts(request: Request): Promise<Response> {
  try {
    if (!cronAuthorized(request)) throw new GatewayError(401, "authentication_error", "Missing or wrong cron secret.");
    const result = await dispatchBudgetAlerts(await serviceDb(), { secret: getEnv().BUDGET_WEBHOOK_SECRET, limit: 100 });
    return Response.json(result);
  } catch (err) {
    return errorResponse(err);
  }
}
