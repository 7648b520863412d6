import { NextResponse, type NextRequest } from "next/server";
import { getSessionClaims } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadSavings } from "@/lib/db/savings";
import { savingsToCsv } from "@/lib/reports/savings-csv";
import { parseSavingsFilters } from "@/lib/schemas/savings-filters";
import { orgParam } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

/** CSV of the Savings page for the same filters, read under RLS as the session user. */
export async function GET(request: NextRequest) {
  const claims = await getSessionClaims();
  if (!claims) {
    return NextResponse.json({ error: { type: "unauthorized", message: "Sign in to export savings." } }, { status: 401 });
  }
  const db = await getDb();
  const zone = await loadTimeZone(db, claims, orgParam(request.nextUrl.searchParams));
  const parsed = parseSavingsFilters(request.nextUrl.searchParams, new Date(), zone);
  if (!parsed.ok) {
    const message = Object.entries(parsed.errors).map(([field, errs]) => `${field}: ${errs.join(" ")}`).join("; ");
    return NextResponse.json({ error: { type: "invalid_request", message } }, { status: 400 });
  }
  const data = await loadSavings(db, claims, parsed.filters);
  const { from, to } = parsed.filters;
  return new NextResponse(savingsToCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="savings-${from}-to-${to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
