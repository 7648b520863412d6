import { handleCronBudgetForecast } from "@/lib/http/budget-forecast-cron";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Vercel Cron (vercel.json "crons"): forecast and spike alerts per organization, then their delivery. */
export function GET(request: Request): Promise<Response> {
  return handleCronBudgetForecast(request);
}
