import { getSessionUser } from "@/lib/auth/session";
import { handleRetrain } from "@/lib/http/learning";

export const dynamic = "force-dynamic";

/** ?dry_run=true|false (default true)&min_samples=&confidence_threshold=low|medium|high&tolerance=&window_days= */
export function POST(request: Request): Promise<Response> {
  return handleRetrain(request, getSessionUser);
}
