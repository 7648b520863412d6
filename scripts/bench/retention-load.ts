/**
 * Load pieces shared by `bench:retention` and `bench:fleet`: old monthly partitions full of calls
 * for retention to drop, and a sampler of inserts into llm_calls waiting on a lock while it runs.
 */
import { sql, type Kysely } from "kysely";
import { runPartitionUpkeep } from "@/lib/db/partitions";
import type { DB } from "@/lib/db/schema";

/**
 * Samples pg_stat_activity on its own connection: inserts waiting on a heavyweight lock. Separates
 * lock waits (what retention could cause) from CPU stalls on a busy machine.
 */
export function startLockSampler(k: Kysely<DB>) {
  let running = true;
  let longest = 0;
  const seen = new Map<string, number>();
  const done = (async () => {
    while (running) {
      const { rows } = await sql<{ key: string; ms: number }>`
        select pid::text || '/' || query_start::text as key,
               extract(epoch from clock_timestamp() - query_start) * 1000 as ms
        from pg_catalog.pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query ilike 'insert into "llm_calls"%'`.execute(k);
      for (const r of rows) {
        const ms = Number(r.ms);
        seen.set(r.key, Math.max(seen.get(r.key) ?? 0, ms));
        longest = Math.max(longest, ms);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    take(): number {
      const out = longest;
      longest = 0;
      return Math.round(out * 10) / 10;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Old months (a year back) with `rows` calls each, inserted through the parent (rollups kept). */
export async function fillOldMonths(k: Kysely<DB>, startMonthsBack: number, months: number, rows: number): Promise<void> {
  const now = new Date();
  for (let i = 0; i < months; i++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - startMonthsBack - i, 1));
    await runPartitionUpkeep(k, { now: month, monthsAhead: 1 });
    await sql`
      insert into public.llm_calls (request_id, created_at, organization_id, pipeline_stage, request_type, provider_code,
        model_code, prompt_tokens, completion_tokens, total_tokens, cost, currency, pricing_source, latency_ms, status)
      select gen_random_uuid(), ${month.toISOString()}::timestamptz + (g % 27) * interval '1 day' + (g % 86400) * interval '1 second',
        null, 'triage', 'classify', 'mock', 'mock-large', 100, 10, 110, 0.000123456789, 'USD', 'database', 20, 'ok'
      from generate_series(1, ${rows}::int) g`.execute(k);
  }
  await sql`analyze public.llm_calls`.execute(k);
}

