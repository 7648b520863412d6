import { NextResponse, type NextRequest } from "next/server";
import { getNavItem } from "@/lib/auth/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { loadAuditExport } from "@/lib/db/audit";
import { getDb } from "@/lib/db/instance";
import { loadTimeZone } from "@/lib/db/time-zone";
import { AUDIT_CSV_LIMIT, auditToCsv } from "@/lib/reports/audit-csv";
import { parseAuditFilters } from "@/lib/schemas/audit-filters";
import { orgParam } from "@/lib/schemas/cost-filters";

/**
 * CSV of the Audit page's filter (same parse, same conditions), read under RLS as the session
 * user: an organization admin gets their organizations' entries only, whatever the URL says.
 * Times are ISO 8601 in the reporting time zone (the organization's own when one is filtered).
 * Past AUDIT_CSV_LIMIT entries it answers 413 with what to do instead of a truncated file.
 */
const audit = getNavItem("/audit");

const fail = (status: number, type: string, message: string) => NextResponse.json({ error: { type, message } }, { status });

export async function GET(request: NextRequest) {
  const user = await getSessionUser();
  if (!user) return fail(401, "unauthorized", "Sign in to export the audit log.");
  if (!audit.visibleTo(user)) return fail(403, "forbidden", "The audit log is for admins.");
  const params = request.nextUrl.searchParams;
  const db = await getDb();
  const zone = await loadTimeZone(db, user.claims, orgParam(params));
  const { filters, errors } = parseAuditFilters(params, { zone });
  const problems = Object.entries(errors);
  if (problems.length > 0) return fail(400, "invalid_request", problems.map(([k, m]) => `${k}: ${m}`).join("; "));
  const result = await loadAuditExport(db, user.claims, filters, AUDIT_CSV_LIMIT, zone);
  if (!result.ok) {
    return fail(413, "too_many_rows", `This filter matches ${result.total} changes; a CSV holds at most ${AUDIT_CSV_LIMIT}. Narrow the dates or add a filter.`);
  }
  const days = filters.from || filters.to ? `-${filters.from ?? "start"}-to-${filters.to ?? "now"}` : "";
  return new NextResponse(auditToCsv(result.entries, zone), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit${days}.csv"`,
      "cache-control": "no-store",
    },
  });
}
