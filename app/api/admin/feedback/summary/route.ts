import { getSessionUser } from "@/lib/auth/session";
import { handleSummary } from "@/lib/http/learning";

export const dynamic = "force-dynamic";

/** Feedback totals, by model and by query pattern, for ?from=&to= (YYYY-MM-DD, inclusive). */
export function GET(request: Request): Promise<Response> {
  return handleSummary(request, getSessionUser);
}
