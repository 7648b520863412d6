import { sql, type Transaction } from "kysely";
import { monthIn, previousMonth } from "@/lib/engine/statement-period";
import type { DB } from "../schema";
import { freezeStatement } from "../statements-close";

/**
 * Demo billing (issue 13, "Client statements"): WVC billed in EUR at cost + 20 %, Acme with a
 * client price list for its most used model, Globex in USD at cost + 10 %; last month closed for
 * all three (so `npm run dev` shows closed and draft statements), then one late record replayed
 * into WVC's closed month, which shows as an adjustment on this month's draft.
 *
 * SERVICE PATH: the seed's transaction (RLS bypassed); statements are closed with closed_by null.
 */
/** Returns the number of ledger rows it added (the late record), so the seed's call count stays exact. */
export async function seedStatements(trx: Transaction<DB>, now: Date): Promise<number> {
  const orgs = await trx.selectFrom("organizations").select(["id", "slug"]).where("slug", "in", ["wvc", "acme", "globex"]).execute();
  const id = (slug: string) => orgs.find((o) => o.slug === slug)?.id;
  const wvc = id("wvc");
  const acme = id("acme");
  const globex = id("globex");
  if (!wvc || !acme || !globex) return 0;
  await trx
    .insertInto("billing_terms")
    .values([
      { organization_id: wvc, billing_currency: "EUR", markup_pct: "20" },
      { organization_id: acme, billing_currency: "EUR", markup_pct: "15" },
      { organization_id: globex, billing_currency: "USD", markup_pct: "10" },
    ])
    .execute();
  const top = await trx
    .selectFrom("llm_calls as c")
    .innerJoin("llm_models as m", "m.id", "c.model_id")
    .select(["m.id"])
    .where("c.organization_id", "=", acme)
    .groupBy("m.id")
    .orderBy(sql`count(*)`, "desc")
    .limit(1)
    .executeTakeFirst();
  if (top) {
    await trx
      .insertInto("client_prices")
      .values({ organization_id: acme, model_id: top.id, input_per_mtok: "0.5", output_per_mtok: "2", cached_input_per_mtok: "0.1", currency: "EUR", effective_from: "2020-01-01" })
      .execute();
  }
  const last = previousMonth(monthIn("UTC", now));
  for (const org of [wvc, acme, globex]) await freezeStatement(trx, org, last, "demo seed", now);
  // A late record (spool replay) in WVC's closed month: an adjustment on this month's draft.
  const late = await sql`
    insert into public.llm_calls (id, request_id, attempt, created_at, app_id, organization_id, user_ref, action_type, request_type,
      pipeline_stage, provider_id, provider_code, model_id, model_code, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
      reasoning_tokens, cache_write_tokens, cache_write_1h_tokens, input_price_per_mtok, output_price_per_mtok, cached_input_price_per_mtok,
      cache_write_price_per_mtok, cache_write_1h_price_per_mtok, cost, currency, price_id, pricing_source, latency_ms, status, routing_source)
    select gen_random_uuid(), gen_random_uuid(), 1, ${`${last}-15T12:00:00Z`}::timestamptz, app_id, organization_id, 'late-replay',
      action_type, request_type, pipeline_stage, provider_id, provider_code, model_id, model_code, prompt_tokens * 40, completion_tokens * 40,
      total_tokens * 40, cached_tokens * 40, reasoning_tokens * 40, cache_write_tokens * 40, cache_write_1h_tokens * 40, input_price_per_mtok,
      output_price_per_mtok, cached_input_price_per_mtok, cache_write_price_per_mtok, cache_write_1h_price_per_mtok, cost * 40, currency, price_id,
      pricing_source, latency_ms, status, routing_source
    from public.llm_calls
    where organization_id = ${wvc}::uuid and cost is not null and created_at >= ${`${last}-01T00:00:00Z`}::timestamptz
    order by created_at limit 1`.execute(trx);
  return Number(late.numAffectedRows ?? 0n);
}
