import { handleCronBudgetAlerts } from "@/lib/http/budget-cron";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Vercel Cron (vercel.json "crons"): delivers due budget alerts to the organizations' webhooks. */
export function GET(request: Request): Promise<Response> {
  return handleCronBudgetAlerts(request);
}
