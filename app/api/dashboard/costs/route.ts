import { NextResponse, type NextRequest } from "next/server";
import { getSessionClaims } from "@/lib/auth/session";
import { costsToCsv } from "@/lib/reports/costs-csv";
import { loadCosts } from "@/lib/db/costs";
import { getDb } from "@/lib/db/instance";
import { orgParam, parseCostFilters } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

/** CSV of the Costs page for the same filters, read under RLS as the session user. */
export async function GET(request: NextRequest) {
  const claims = await getSessionClaims();
  if (!claims) {
    return NextResponse.json({ error: { type: "unauthorized", message: "Sign in to export costs." } }, { status: 401 });
  }
  const db = await getDb();
  const zone = await loadTimeZone(db, claims, orgParam(request.nextUrl.searchParams));
  const parsed = parseCostFilters(request.nextUrl.searchParams, new Date(), zone);
  if (!parsed.ok) {
    const message = Object.entries(parsed.errors).map(([field, errs]) => `${field}: ${errs.join(" ")}`).join("; ");
    return NextResponse.json({ error: { type: "invalid_request", message } }, { status: 400 });
  }
  const data = await loadCosts(db, claims, parsed.filters);
  const { from, to } = parsed.filters;
  return new NextResponse(costsToCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="costs-${from}-to-${to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
