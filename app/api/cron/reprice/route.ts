import { handleCronReprice } from "@/lib/http/reprice";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Vercel Cron (vercel.json "crons"): resumes a queued job or one whose runner stopped (a frozen or
 * crashed function), from its saved cursor. Leaves 10 s of the 60 s limit to hand the job back.
 */
export function GET(request: Request): Promise<Response> {
  return handleCronReprice(request, 50_000);
}
