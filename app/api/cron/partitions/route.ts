import { handleCronPartitions } from "@/lib/http/partition-cron";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Vercel Cron (vercel.json "crons", daily): llm_calls partitions ahead, drained default, retention. */
export function GET(request: Request): Promise<Response> {
  return handleCronPartitions(request);
}
