import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadAudit } from "@/lib/db/audit";
import { withUser } from "@/lib/db/rls";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, ids } from "@/tests/helpers/fixtures";

/** The Audit page's loader: who changed what, with a field diff, filtered by RLS per role. */
describe.each(databaseTargets())("audit page data on $name", (target) => {
  let db: Database;
  let configId = "";

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    configId = await withUser(db, claimsFor("adminA"), async (tx) => {
      const { rows } = await sql<{ id: string }>`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
        values (${ids.app}, ${ids.orgA}, 'audited', ${ids.models.primary}, 300) returning id::text`.execute(tx);
      await sql`update public.llm_configurations set priority = 301 where id = ${rows[0]!.id}`.execute(tx);
      return rows[0]!.id;
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("shows an org admin their change with their identity and a field diff", async () => {
    const { entries } = await loadAudit(db, claimsFor("adminA"), { table: "llm_configurations" });
    const mine = entries.filter((e) => e.recordId === configId);
    expect(mine.map((e) => e.action)).toEqual(["update", "insert"]);
    expect(mine[0]).toMatchObject({ actorEmail: emailOf("adminA"), actorRole: "authenticated" });
    expect(mine[0]!.changes).toEqual([{ field: "priority", before: 300, after: 301 }]);
  });

  it("shows the platform admin everything, another organization's admin and a viewer nothing of it", async () => {
    const all = await loadAudit(db, claimsFor("platformAdmin"), {});
    expect(all.entries.some((e) => e.recordId === configId)).toBe(true);
    for (const user of ["adminB", "viewerA"] as const) {
      const { entries } = await loadAudit(db, claimsFor(user), {});
      expect(entries.some((e) => e.recordId === configId)).toBe(false);
    }
  });

  it("pages by id and filters by table", async () => {
    const first = await loadAudit(db, claimsFor("platformAdmin"), {}, 3);
    expect(first.entries).toHaveLength(3);
    expect(first.nextBefore).not.toBeNull();
    const next = await loadAudit(db, claimsFor("platformAdmin"), { before: first.nextBefore! }, 3);
    expect(Math.max(...next.entries.map((e) => e.id))).toBeLessThan(Math.min(...first.entries.map((e) => e.id)));
    const keys = await loadAudit(db, claimsFor("platformAdmin"), { table: "api_keys" });
    expect(keys.entries.every((e) => e.table === "api_keys")).toBe(true);
    expect(JSON.stringify(keys.entries)).not.toContain("key_hash");
  });
});
