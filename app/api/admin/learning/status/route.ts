import { getSessionUser } from "@/lib/auth/session";
import { handleStatus } from "@/lib/http/learning";

export const dynamic = "force-dynamic";

/** Active overrides, confidence distribution, last retrain and pattern coverage. */
export function GET(request: Request): Promise<Response> {
  return handleStatus(request, getSessionUser);
}
