import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "./schema";

/**
 * Spend per currency of one budget's window (organization, organization × app, or API key; a day
 * or a month of the reporting time zone), without reading more than two partial hours of the
 * ledger, whatever its size. The gateway re-seeds its counters with it every 15 s per budget in
 * use (lib/gateway/budget-scoped.ts) and the Budgets page shows it (lib/db/budget-scopes.ts).
 *
 * The whole UTC hours inside [from, to) come from the hourly rollups, each kept exact by
 * statement triggers on llm_calls (inserts, repricing updates, deletes):
 *   organization  llm_call_hourly (20261207270001)
 *   app           llm_call_statement_hourly (20261208030001)
 *   API key       llm_call_key_hourly (20261208130001)
 * The partial hours at either edge (a window of a +05:30 or +05:45 zone starts and ends mid-hour)
 * come from llm_calls, bounded to those slices (llm_calls_org_created_idx,
 * llm_calls_org_app_created_idx, llm_calls_api_key_created_idx).
 *
 * The answer is the ledger's: sum(cost) over the window's calls with a cost and a currency, per
 * currency, as exact text; a currency none of whose calls has a cost is absent (the rollups'
 * calls_with_cost tell it from priced calls summing to 0, such as cache hits).
 */

export interface SpendWindow {
  organizationId: string;
  /** At most one of appId and apiKeyId (budgets_one_scope). */
  appId: string | null;
  apiKeyId: string | null;
  from: Date;
  to: Date;
}

const HOUR_MS = 3_600_000;

/**
 * [start, end): the whole UTC hours of [from, to), read from the rollups; [from, start) and
 * [end, to) are read from the ledger. A window inside one hour is all ledger (start = end = to).
 */
export function wholeHours(from: Date, to: Date): { start: Date; end: Date } {
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.floor(to.getTime() / HOUR_MS) * HOUR_MS;
  if (start > end) return { start: to, end: to };
  return { start: new Date(start), end: new Date(end) };
}

export async function windowSpend(db: Kysely<DB>, f: SpendWindow): Promise<{ currency: string; amount: string }[]> {
  if (f.appId && f.apiKeyId) throw new Error("windowSpend: a budget's scope is an app or an API key, not both");
  const { start, end } = wholeHours(f.from, f.to);
  const org = sql`${f.organizationId}::uuid`;
  const hours = sql`hour >= ${start}::timestamptz and hour < ${end}::timestamptz and currency is not null`;
  let rollup: RawBuilder<unknown>;
  let scope: RawBuilder<unknown>;
  if (f.apiKeyId) {
    rollup = sql`select currency, cost, calls_with_cost as priced from public.llm_call_key_hourly
      where organization_id = ${org} and api_key_id = ${f.apiKeyId}::uuid and ${hours}`;
    scope = sql`and api_key_id = ${f.apiKeyId}::uuid`;
  } else if (f.appId) {
    rollup = sql`select currency, cost, calls - calls_without_cost as priced from public.llm_call_statement_hourly
      where organization_id = ${org} and app_id = ${f.appId}::uuid and ${hours}`;
    scope = sql`and app_id = ${f.appId}::uuid`;
  } else {
    rollup = sql`select currency, cost, calls_with_cost as priced from public.llm_call_hourly
      where organization_id = ${org} and ${hours}`;
    scope = sql``;
  }
  const ledger = (lo: Date, hi: Date) => sql`
    select currency, cost, 1::bigint as priced from public.llm_calls
    where organization_id = ${org} ${scope} and created_at >= ${lo}::timestamptz and created_at < ${hi}::timestamptz
      and cost is not null and currency is not null`;
  const { rows } = await sql<{ currency: string; amount: string }>`
    select p.currency, sum(p.cost)::text as amount
    from (${rollup} union all ${ledger(f.from, start)} union all ${ledger(end, f.to)}) p
    group by p.currency
    having sum(p.priced) > 0`.execute(db);
  return rows;
}
