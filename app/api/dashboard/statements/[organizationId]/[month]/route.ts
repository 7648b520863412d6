import { NextResponse, type NextRequest } from "next/server";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadStatementFor } from "@/lib/db/statements";
import { isMonth } from "@/lib/engine/statement-period";
import { focusToCsv } from "@/lib/reports/focus";
import { statementToCsv } from "@/lib/reports/statement-csv";
import { guidSchema } from "@/lib/schemas/statement";

/**
 * A statement as CSV (`?format=csv`, the page's lines and totals) or as a FOCUS 1.x dataset
 * (`?format=focus`), read under RLS as the session user. An organization the user may not read
 * answers 404, exactly like an unknown one: the answer never tells whether another client exists.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ organizationId: string; month: string }> }) {
  const { organizationId, month } = await params;
  const user = await getSessionUser();
  if (!user) return NextResponse.json({ error: { type: "unauthorized", message: "Sign in to export statements." } }, { status: 401 });
  const format = request.nextUrl.searchParams.get("format") ?? "csv";
  if (format !== "csv" && format !== "focus") {
    return NextResponse.json({ error: { type: "invalid_request", message: "format must be csv or focus" } }, { status: 400 });
  }
  const data = guidSchema.safeParse(organizationId).success && isMonth(month) ? await loadStatementFor(await getDb(), user.claims, organizationId, month) : null;
  if (!data) return NextResponse.json({ error: { type: "not_found", message: "No such statement." } }, { status: 404 });
  const name = `statement-${data.organization.slug}-${month}${format === "focus" ? "-focus" : ""}.csv`;
  return new NextResponse(format === "focus" ? focusToCsv(data) : statementToCsv(data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
