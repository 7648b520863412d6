import { handleCronRetrain } from "@/lib/http/learning";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Vercel Cron (vercel.json "crons"): a real retrain with the settings' parameters. */
export function GET(request: Request): Promise<Response> {
  return handleCronRetrain(request);
}
