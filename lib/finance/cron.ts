import { timingSafeEqual } from "node:crypto";
import { serviceDb } from "@/lib/db/service";
import { getEnv } from "@/lib/env";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { dispatchBudgetAlerts } from "./budget-webhooks";

function cronAuthorized(request: Request): boolean {
  const secret = getEnv().CRON_SECRET;
  const given = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret ?? ""}`;
  return !!secret && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

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
