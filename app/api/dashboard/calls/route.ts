import { NextResponse, type NextRequest } from "next/server";
import { getSessionClaims } from "@/lib/auth/session";
import { listCalls, loadCallTotals, resolveCallFilters } from "@/lib/db/calls";
import { getDb } from "@/lib/db/instance";
import { CALLS_CSV_LIMIT, callCsvLine, callsCsvHeader } from "@/lib/reports/calls-csv";
import { parseCallFilters } from "@/lib/schemas/call-filters";

/**
 * CSV of the Calls page's filter (same parse, same conditions, same sort), read under RLS as the
 * session user and streamed page by page (keyset, 1,000 rows a page) so memory stays flat. Over
 * CALLS_CSV_LIMIT rows it answers 413 with what to do instead of a truncated file.
 */
const BATCH = 1000;

export async function GET(request: NextRequest) {
  const claims = await getSessionClaims();
  if (!claims) {
    return NextResponse.json({ error: { type: "unauthorized", message: "Sign in to export calls." } }, { status: 401 });
  }
  const { cursor: _ignored, ...parsed } = parseCallFilters(request.nextUrl.searchParams);
  const db = await getDb();
  const filters = await resolveCallFilters(db, claims, parsed);
  const totals = await loadCallTotals(db, claims, filters);
  if (totals.calls > CALLS_CSV_LIMIT) {
    return NextResponse.json(
      {
        error: {
          type: "too_many_rows",
          message: `This filter matches ${totals.calls} calls; a CSV holds at most ${CALLS_CSV_LIMIT}. Narrow the dates or add a filter.`,
        },
      },
      { status: 413 },
    );
  }
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${callsCsvHeader()}\r\n`));
      }
      const page = await listCalls(db, claims, { ...filters, cursor }, BATCH);
      if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map((r) => `${callCsvLine(r)}\r\n`).join("")));
      if (!page.nextCursor) controller.close();
      else cursor = page.nextCursor;
    },
  });
  return new NextResponse(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="calls-${filters.from ?? "all"}-to-${filters.to ?? "all"}.csv"`,
      "cache-control": "no-store",
    },
  });
}
