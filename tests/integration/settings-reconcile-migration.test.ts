import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadConfigSnapshotData } from "@/lib/db/config-snapshot";
import { listMigrations, migrate } from "@/lib/db/migrator";
import { withUser } from "@/lib/db/rls";
import { loadSettingsPage } from "@/lib/db/settings";
import { readBool, readNumber } from "@/lib/engine/settings";
import { buildSnapshot } from "@/lib/engine/snapshot";
import { ConfigCache } from "@/lib/gateway/config-cache";
import { databaseTargets } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * Migration 20261208020000 on settings saved before keys had one definition (20261207240000):
 * every row takes its definition's type and bounds, no value is changed, a value that no longer
 * fits is listed on the Settings page ("needs attention") and read by the gateway as the default,
 * logged once; the reconciliation is audited as a job. The rows are written on the schema before
 * 20261207240000, when each row carried its own type and bounds.
 */
const DEFINITIONS = "20261207240000";

describe.each(databaseTargets())("settings reconciliation migration on $name", (target) => {
  let db: Database;
  let dir: string;
  const rowIds: Record<string, string> = {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-mig-"));
    for (const m of await listMigrations(path.join(process.cwd(), "supabase", "migrations"))) {
      if (m.version < DEFINITIONS) fs.copyFileSync(m.file, path.join(dir, path.basename(m.file)));
    }
    db = await target.open();
    await migrate(db, { migrationsDir: dir });
    await createFixtureWorld(db.kysely);
    const add = async (name: string, row: { key: string; scope: "global" | "app" | "organization"; app?: string; org?: string; type: string; value: unknown; min?: string; max?: string }) => {
      const { rows } = await sql<{ id: string }>`
        insert into public.app_configuration (key, scope, app_id, organization_id, value_type, value, min_value, max_value)
        values (${row.key}, ${row.scope}, ${row.app ?? null}, ${row.org ?? null}, ${row.type}, ${JSON.stringify(row.value)}::jsonb, ${row.min ?? null}, ${row.max ?? null})
        returning id::text`.execute(db.kysely);
      rowIds[name] = rows[0]!.id;
    };
    await add("thresholdGlobal", { key: "recon.threshold", scope: "global", type: "float", value: 0.85, min: "0", max: "1" });
    // Org A widened its own bounds and saved 5; Org B widened them too but saved a value that fits.
    await add("thresholdA", { key: "recon.threshold", scope: "organization", org: ids.orgA, type: "float", value: 5, min: "0", max: "10" });
    await add("thresholdB", { key: "recon.threshold", scope: "organization", org: ids.orgB, type: "float", value: 0.5, min: "0", max: "10" });
    await add("sizeGlobal", { key: "recon.size", scope: "global", type: "int", value: 100, min: "1", max: "1000" });
    // The app stored the int setting as a float: 2.5 is not a whole number.
    await add("sizeApp", { key: "recon.size", scope: "app", app: ids.app, type: "float", value: 2.5 });
    await add("flagGlobal", { key: "recon.flag", scope: "global", type: "bool", value: true });
    await add("flagA", { key: "recon.flag", scope: "organization", org: ids.orgA, type: "string", value: "yes" });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives every row its definition's type and bounds and never changes a value", async () => {
    const { rows } = await sql<{ id: string; value_type: string; min_value: string | null; max_value: string | null; value: unknown }>`
      select id::text as id, value_type, min_value::text as min_value, max_value::text as max_value, value
      from public.app_configuration where key like 'recon.%'`.execute(db.kysely);
    const byName = Object.fromEntries(Object.entries(rowIds).map(([name, id]) => [name, rows.find((r) => r.id === id)]));
    const shape = (name: string) => {
      const r = byName[name]!;
      return [r.value_type, r.min_value === null ? null : Number(r.min_value), r.max_value === null ? null : Number(r.max_value), r.value];
    };
    expect(shape("thresholdA")).toEqual(["float", 0, 1, 5]);
    expect(shape("thresholdB")).toEqual(["float", 0, 1, 0.5]);
    expect(shape("sizeApp")).toEqual(["int", 1, 1000, 2.5]);
    expect(shape("flagA")).toEqual(["bool", null, null, "yes"]);
    expect(shape("thresholdGlobal")).toEqual(["float", 0, 1, 0.85]);
    const { rows: drift } = await sql`
      select c.id from public.app_configuration c join public.setting_definitions d using (key)
      where (c.value_type, c.min_value, c.max_value) is distinct from (d.value_type, d.min_value, d.max_value)`.execute(db.kysely);
    expect(drift).toEqual([]);
  });

  it("audits the reconciliation as a job", async () => {
    const { rows } = await sql<{ record_id: string; actor_kind: string | null; actor_role: string }>`
      select record_id, actor_kind, actor_role from public.audit_log
      where table_name = 'app_configuration' and action = 'update' and record_id in (${sql.join(Object.values(rowIds))})`.execute(db.kysely);
    expect(rows.map((r) => r.record_id).sort()).toEqual([rowIds.thresholdA, rowIds.thresholdB, rowIds.sizeApp, rowIds.flagA].sort());
    expect(rows.every((r) => r.actor_kind === "job:settings-reconcile" && r.actor_role === "service")).toBe(true);
  });

  it("lists the rows whose value does not fit on the Settings page, with the definition's bounds", async () => {
    const page = await loadSettingsPage(db, claimsFor("platformAdmin"), { appId: null, organizationId: null });
    const listed = page.needsAttention.map((a) => [a.row.id, a.problem]).sort();
    expect(listed).toEqual([
      [rowIds.thresholdA, "holds 5, outside its bounds 0 … 1"],
      [rowIds.sizeApp, "holds 2.5, not a whole number"],
      [rowIds.flagA, 'holds text "yes", not true or false'],
    ].sort());
    // Under RLS: Org B's admin sees none of Org A's rows.
    const b = await loadSettingsPage(db, claimsFor("adminB"), { appId: null, organizationId: null });
    expect(b.needsAttention.map((a) => a.row.id)).not.toContain(rowIds.thresholdA);
    // The effective value for Org A is the built-in default, and the page says which row was ignored.
    const a = await loadSettingsPage(db, claimsFor("platformAdmin"), { appId: null, organizationId: ids.orgA });
    expect(a.keys.find((k) => k.key === "recon.threshold")?.effective.source).toMatchObject({ scope: "default", ignored: expect.stringContaining(rowIds.thresholdA!) });
  });

  it("has the gateway read the default for an invalid value and log it once", async () => {
    const snapshot = buildSnapshot(await loadConfigSnapshotData(db.kysely));
    const forA = readNumber(snapshot, "recon.threshold", { organizationId: ids.orgA }, 0.7);
    expect(forA.value).toBe(0.7);
    expect(forA.source.ignored).toContain("outside its bounds 0 … 1");
    expect(readNumber(snapshot, "recon.threshold", { organizationId: ids.orgB }, 0.7).value).toBe(0.5);
    expect(readNumber(snapshot, "recon.size", { appId: ids.app }, 7).value).toBe(7);
    expect(readBool(snapshot, "recon.flag", { organizationId: ids.orgA }, false).value).toBe(false);
    expect(readBool(snapshot, "recon.flag", { organizationId: ids.orgB }, false).value).toBe(true);
    const lines: string[] = [];
    const cache = new ConfigCache(async () => db.kysely, (l) => lines.push(l));
    await cache.reload();
    await cache.reload();
    expect(lines.filter((l) => l.startsWith("setting recon.")).sort()).toEqual([
      expect.stringMatching(/^setting recon\.flag \(organization row .+\) holds text "yes", not true or false: using the default/),
      expect.stringMatching(/^setting recon\.size \(app row .+\) holds 2\.5, not a whole number: using the default/),
      expect.stringMatching(/^setting recon\.threshold \(organization row .+\) holds 5, outside its bounds 0 … 1: using the default/),
    ]);
  });

  it("refuses to save the row again with a value out of bounds, and accepts a fixed one", async () => {
    const save = (value: number) =>
      withUser(db, claimsFor("adminA"), (tx) => sql`update public.app_configuration set value = ${JSON.stringify(value)}::jsonb where id = ${rowIds.thresholdA}`.execute(tx))
        .then(() => "saved", (err: { code?: string }) => err.code);
    expect(await save(6)).toBe("23514");
    expect(await save(0.9)).toBe("saved");
    const page = await loadSettingsPage(db, claimsFor("platformAdmin"), { appId: null, organizationId: null });
    expect(page.needsAttention.map((x) => x.row.id)).not.toContain(rowIds.thresholdA);
  });
});
