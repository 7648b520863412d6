import { sql, type Kysely } from "kysely";
import type { SpendWindow } from "@/lib/db/budget-spend";
import type { DB } from "@/lib/db/schema";

/**
 * The reference for lib/db/budget-spend.ts: a budget window's spend summed straight from the
 * ledger, exactly as the gateway and the Budgets page computed it before the rollups (a scan of
 * the window's calls). Used by tests/integration/budget-spend.test.ts and scripts/bench/budget-spend.ts.
 * Sorted by currency.
 */
export async function ledgerSpendReference(db: Kysely<DB>, f: SpendWindow): Promise<{ currency: string; amount: string }[]> {
  let q = db
    .selectFrom("llm_calls")
    .select(["currency", sql<string>`sum(cost)::text`.as("amount")])
    .where("organization_id", "=", f.organizationId)
    .where("created_at", ">=", f.from)
    .where("created_at", "<", f.to)
    .where("cost", "is not", null)
    .where("currency", "is not", null);
  if (f.appId) q = q.where("app_id", "=", f.appId);
  if (f.apiKeyId) q = q.where("api_key_id", "=", f.apiKeyId);
  const rows = await q.groupBy("currency").execute();
  return byCurrency(rows.map((r) => ({ currency: r.currency!, amount: r.amount })));
}

export const byCurrency = (rows: { currency: string; amount: string }[]) => [...rows].sort((a, b) => a.currency.localeCompare(b.currency));
