import { getSessionUser } from "@/lib/auth/session";
import { handleRepriceJobStatus } from "@/lib/http/reprice";

export const dynamic = "force-dynamic";

/** A repricing job's progress (examined, changed, estimate, status), polled by the Completeness page. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleRepriceJobStatus(id, getSessionUser);
}
