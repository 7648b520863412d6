import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { listMigrations, migrate } from "@/lib/db/migrator";
import { databaseTargets } from "@/tests/helpers/databases";

/**
 * Migration 20261206040100 (one feedback per request) on a database that already holds repeated
 * feedback: it keeps the latest row of each request, production_feedback_daily stays equal to the
 * rows, and afterwards a second row for a request is refused by the unique constraint.
 */
const MIGRATION = "20261206040100";
const REQUEST = (n: number) => `00000000-0000-4000-c000-${n.toString(16).padStart(12, "0")}`;

describe.each(databaseTargets())("feedback de-duplication migration on $name", (target) => {
  let db: Database;
  let before: string;

  beforeAll(async () => {
    const dir = path.join(process.cwd(), "supabase", "migrations");
    before = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-mig-"));
    for (const m of await listMigrations(dir)) if (m.version < MIGRATION) fs.copyFileSync(m.file, path.join(before, path.basename(m.file)));
    db = await target.open();
    await migrate(db, { migrationsDir: before });
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(before, { recursive: true, force: true });
  });

  it("keeps the latest feedback per request and moves the rollup with it", async () => {
    const k = db.kysely;
    // Request n has n + 1 rows over several days; the latest has score 5 - (n % 3).
    const rows = [0, 1, 2, 3].flatMap((n) => Array.from({ length: n + 1 }, (_, i) => ({
      request_id: REQUEST(n), quality_score: i === n ? 5 - (n % 3) : 1 + (i % 4), is_correct: i % 2 === 0, model_code: "m", query_pattern: "chat",
      source: "seed" as const, created_at: new Date(Date.UTC(2026, 10, 1 + i, 12)),
    })));
    await k.insertInto("production_feedback").values(rows).execute();
    const total = async () => Number((await sql<{ n: number }>`select coalesce(sum(feedback), 0)::int as n from public.production_feedback_daily`.execute(k)).rows[0]?.n);
    expect(await total()).toBe(10);

    await migrate(db);
    const left = await k.selectFrom("production_feedback").select(["request_id", "quality_score", "created_at"]).orderBy("request_id").execute();
    expect(left.map((r) => [r.request_id, r.quality_score, r.created_at.toISOString()])).toEqual([0, 1, 2, 3].map((n) => [REQUEST(n), 5 - (n % 3), new Date(Date.UTC(2026, 10, 1 + n, 12)).toISOString()]));
    expect(await total()).toBe(4);
    const { rows: drift } = await sql`
      select day, sum(feedback) as f, sum(score_sum) as s from public.production_feedback_daily group by day having sum(feedback) <> 0
      except
      select (created_at at time zone 'UTC')::date, count(*), sum(quality_score) from public.production_feedback group by 1`.execute(k);
    expect(drift).toEqual([]);

    const again = await k.insertInto("production_feedback").values({ request_id: REQUEST(0), quality_score: 1, source: "seed" }).execute().then(() => "inserted", (err: { code?: string }) => err.code);
    expect(again).toBe("23505");
  });
});
