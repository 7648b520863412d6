import { getSessionUser } from "@/lib/auth/session";
import { handleLatestRepriceJob } from "@/lib/http/reprice";

export const dynamic = "force-dynamic";

/** The active repricing job, else the latest one (`{ job: null }` when there is none or you may not see it). */
export function GET(): Promise<Response> {
  return handleLatestRepriceJob(getSessionUser);
}
