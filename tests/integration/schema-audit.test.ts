import { sql, type RawBuilder } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, fakeKeyHash, ids } from "@/tests/helpers/fixtures";

/**
 * The audit trail: every configuration table has a trigger that records who changed what (from
 * the JWT claims), before and after, never a key hash, and bumps config_version so gateway
 * instances reload; finance tables the gateway never reads (statements, billing terms, client
 * prices) are audited the same way without the bump (tests/integration/finance-audit-reload.test.ts).
 */

interface AuditedTable {
  table: string;
  insert: RawBuilder<{ id: string }>;
  update: ((id: string) => RawBuilder<unknown>) | null;
  /** null: users may not delete such rows (statements are closed or reopened, never deleted). */
  remove: ((id: string) => RawBuilder<unknown>) | null;
  /** organization_id the audit rows must carry. */
  org: (id: string) => string | null;
  /** The column that identifies a row (default id). */
  key?: string;
  /** Finance tables the gateway never reads: audited without a config_version bump (audit_finance_change). */
  finance?: true;
}

const none = () => null;
const AUDITED: AuditedTable[] = [
  { table: "organizations", org: (id) => id,
    insert: sql`insert into public.organizations (slug, name) values ('audit-org', 'Audit') returning id::text`,
    update: (id) => sql`update public.organizations set tier = 'premium' where id = ${id}`,
    remove: (id) => sql`delete from public.organizations where id = ${id}` },
  { table: "budgets", org: () => ids.orgA,
    insert: sql`insert into public.budgets (organization_id, app_id, period, amount, currency, policy)
                values (${ids.orgA}, ${ids.app}, 'day', 5, 'EUR', 'block') returning id::text`,
    update: (id) => sql`update public.budgets set amount = 7.5 where id = ${id}`,
    remove: (id) => sql`delete from public.budgets where id = ${id}` },
  { table: "memberships", org: () => ids.orgA,
    insert: sql`insert into public.memberships (user_id, organization_id, role) values (${ids.users.outsider}, ${ids.orgA}, 'viewer') returning id::text`,
    update: (id) => sql`update public.memberships set role = 'finance' where id = ${id}`,
    remove: (id) => sql`delete from public.memberships where id = ${id}` },
  { table: "apps", org: none,
    insert: sql`insert into public.apps (code, name) values ('audit-app', 'Audit') returning id::text`,
    update: (id) => sql`update public.apps set name = 'Audited' where id = ${id}`,
    remove: (id) => sql`delete from public.apps where id = ${id}` },
  { table: "llm_providers", org: none,
    insert: sql`insert into public.llm_providers (code, name, kind, api_key_env_var) values ('audit-p', 'Audit', 'openai', 'AUDIT_API_KEY') returning id::text`,
    update: (id) => sql`update public.llm_providers set timeout_ms = 5000 where id = ${id}`,
    remove: (id) => sql`delete from public.llm_providers where id = ${id}` },
  { table: "llm_models", org: none,
    insert: sql`insert into public.llm_models (provider_id, model_code, display_name) values (${ids.provider}, 'audit-m', 'Audit') returning id::text`,
    update: (id) => sql`update public.llm_models set context_window = 8000 where id = ${id}`,
    remove: (id) => sql`delete from public.llm_models where id = ${id}` },
  { table: "model_prices", org: none, update: null,
    insert: sql`insert into public.model_prices (model_id, input_per_mtok, output_per_mtok, currency, effective_from)
                values (${ids.models.primary}, 1, 2, 'USD', '2027-01-01T00:00:00Z') returning id::text`,
    remove: (id) => sql`delete from public.model_prices where id = ${id}` },
  { table: "llm_configurations", org: () => ids.orgA,
    insert: sql`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
                values (${ids.app}, ${ids.orgA}, 'audit', ${ids.models.primary}, 200) returning id::text`,
    update: (id) => sql`update public.llm_configurations set params = '{"temperature": 0.2}'::jsonb where id = ${id}`,
    remove: (id) => sql`delete from public.llm_configurations where id = ${id}` },
  { table: "app_configuration", org: () => ids.orgA,
    insert: sql`insert into public.app_configuration (key, scope, organization_id, value_type, value)
                values ('audit.flag', 'organization', ${ids.orgA}, 'bool', 'true'::jsonb) returning id::text`,
    update: (id) => sql`update public.app_configuration set value = 'false'::jsonb where id = ${id}`,
    remove: (id) => sql`delete from public.app_configuration where id = ${id}` },
  { table: "api_keys", org: () => ids.orgA,
    insert: sql`insert into public.api_keys (app_id, organization_id, name, prefix, key_hash)
                values (${ids.app}, ${ids.orgA}, 'Audit', 'llmcp_au', ${fakeKeyHash("audit")}) returning id::text`,
    update: (id) => sql`update public.api_keys set revoked_at = now() where id = ${id}`,
    remove: (id) => sql`delete from public.api_keys where id = ${id}` },
  // Billing terms are keyed by their organization (no id column): the audit row's record_id is null.
  { table: "billing_terms", org: () => ids.orgA, key: "organization_id", finance: true,
    insert: sql`insert into public.billing_terms (organization_id, billing_currency, markup_pct) values (${ids.orgA}, 'EUR', 10)
                returning organization_id::text as id`,
    update: (id) => sql`update public.billing_terms set markup_pct = 12.5 where organization_id = ${id}`,
    remove: (id) => sql`delete from public.billing_terms where organization_id = ${id}` },
  { table: "client_prices", org: () => ids.orgA, finance: true,
    insert: sql`insert into public.client_prices (organization_id, model_id, input_per_mtok, output_per_mtok, currency, effective_from)
                values (${ids.orgA}, ${ids.models.primary}, 1, 2, 'EUR', '2027-01-01') returning id::text`,
    update: (id) => sql`update public.client_prices set input_per_mtok = 1.5 where id = ${id}`,
    remove: (id) => sql`delete from public.client_prices where id = ${id}` },
  { table: "statements", org: () => ids.orgA, finance: true,
    insert: sql`insert into public.statements (organization_id, month, status, time_zone, billing_currency, markup_pct)
                values (${ids.orgA}, '2026-01-01', 'closed', 'UTC', 'EUR', 0) returning id::text`,
    update: (id) => sql`update public.statements set status = 'reopened', reopen_reason = 'audit test' where id = ${id}`,
    remove: null },
  { table: "learning_overrides", org: none,
    insert: sql`insert into public.learning_overrides (app_id, action_type, query_pattern, model_id, confidence, samples)
                values (${ids.app}, 'audit', 'any', ${ids.models.primary}, 'medium', 9) returning id::text`,
    update: (id) => sql`update public.learning_overrides set active = true where id = ${id}`,
    remove: (id) => sql`delete from public.learning_overrides where id = ${id}` },
];

interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_role: string;
  organization_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

class Rollback extends Error {}

describe.each(databaseTargets())("audit trail on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  const version = async () =>
    (await db.kysely.selectFrom("config_version").select("version").executeTakeFirstOrThrow()).version;

  it("has an audit trigger on every configuration table, and none on secrets or the ledger", async () => {
    const audited = async (fn: string) => (await sql<{ table: string }>`
      select distinct c.relname as table from pg_trigger t
      join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
      where p.proname = ${fn} and not t.tgisinternal order by 1`.execute(db.kysely)).rows.map((r) => r.table);
    expect(await audited("audit_config_change")).toEqual(AUDITED.filter((t) => !t.finance).map((t) => t.table).sort());
    expect(await audited("audit_finance_change")).toEqual(AUDITED.filter((t) => t.finance).map((t) => t.table).sort());
  });

  for (const t of AUDITED) {
    it(`records ${t.table} changes with the user's identity, before and after`, async () => {
      let rows: AuditRow[] = [];
      let id = "";
      await withUser(db, claimsFor("platformAdmin"), async (tx) => {
        ({ id } = (await t.insert.execute(tx)).rows[0]!);
        if (t.update) expect((await t.update(id).execute(tx)).numAffectedRows).toBe(1n);
        if (t.remove) expect((await t.remove(id).execute(tx)).numAffectedRows).toBe(1n);
        rows = (await sql<AuditRow>`select action, actor_id::text, actor_email, actor_role, organization_id::text, before, after
          from public.audit_log where table_name = ${t.table} and coalesce(record_id, organization_id::text) = ${id} order by id`.execute(tx)).rows;
        throw new Rollback();
      }).catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
      expect(rows.map((r) => r.action)).toEqual(["insert", ...(t.update ? ["update"] : []), ...(t.remove ? ["delete"] : [])]);
      for (const row of rows) {
        expect(row).toMatchObject({ actor_id: ids.users.platformAdmin, actor_email: emailOf("platformAdmin"), actor_role: "authenticated", organization_id: t.org(id) });
        expect(JSON.stringify(row)).not.toMatch(/key_hash|[0-9a-f]{64}/);
      }
      const [inserted, ...rest] = rows;
      const identity = { [t.key ?? "id"]: id };
      expect(inserted).toMatchObject({ before: null, after: expect.objectContaining(identity) });
      if (t.remove) expect(rest.at(-1)).toMatchObject({ before: expect.objectContaining(identity), after: null });
      if (t.update) {
        const updated = rows[1]!;
        expect(updated.before).not.toBeNull();
        expect(updated.after).not.toEqual(updated.before);
      }
    });
  }

  it("attributes an org admin's change to them and shows it to their organization's admins only", async () => {
    const id = await withUser(db, claimsFor("adminA"), async (tx) => {
      const { rows } = await sql<{ id: string }>`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
        values (${ids.app}, ${ids.orgA}, 'summarize', ${ids.models.secondary}, 200) returning id::text`.execute(tx);
      return rows[0]!.id;
    });
    const seenBy = (user: "adminA" | "adminB" | "viewerA" | "platformAdmin") =>
      withUser(db, claimsFor(user), async (tx) =>
        (await tx.selectFrom("audit_log").select(["actor_id", "actor_email", "action"]).where("record_id", "=", id).execute()));
    expect(await seenBy("adminA")).toEqual([{ actor_id: ids.users.adminA, actor_email: emailOf("adminA"), action: "insert" }]);
    expect(await seenBy("platformAdmin")).toHaveLength(1);
    expect(await seenBy("adminB")).toEqual([]);
    expect(await seenBy("viewerA")).toEqual([]);
  });

  it("files a row moved between organizations under neither, so only platform admins see both sides", async () => {
    const id = await withUser(db, claimsFor("platformAdmin"), async (tx) => {
      const { rows } = await sql<{ id: string }>`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
        values (${ids.app}, ${ids.orgA}, 'moved', ${ids.models.secondary}, 200) returning id::text`.execute(tx);
      await sql`update public.llm_configurations set organization_id = ${ids.orgB} where id = ${rows[0]!.id}`.execute(tx);
      return rows[0]!.id;
    });
    const actions = (user: "adminA" | "adminB" | "platformAdmin") =>
      withUser(db, claimsFor(user), async (tx) =>
        (await tx.selectFrom("audit_log").select("action").where("record_id", "=", id).orderBy("id").execute()).map((r) => r.action));
    expect(await actions("platformAdmin")).toEqual(["insert", "update"]);
    expect(await actions("adminA")).toEqual(["insert"]);
    expect(await actions("adminB")).toEqual([]);
  });

  it("records service-path changes as 'service' and never stores a key hash", async () => {
    const { rows } = await sql<{ actor_role: string; n: number }>`
      select actor_role, count(*)::int as n from public.audit_log where table_name = 'api_keys' group by 1`.execute(db.kysely);
    expect(rows).toEqual([{ actor_role: "service", n: 3 }]);
    const { rows: leaks } = await sql<{ n: number }>`
      select count(*)::int as n from public.audit_log
      where before ? 'key_hash' or after ? 'key_hash' or before::text ~ '[0-9a-f]{64}' or after::text ~ '[0-9a-f]{64}'`.execute(db.kysely);
    expect(leaks[0]!.n).toBe(0);
  });

  it("bumps config_version on a configuration change, and only then", async () => {
    const start = await version();
    await withUser(db, claimsFor("adminA"), (tx) =>
      tx.updateTable("app_configuration").set({ value: "33" }).where("id", "=", ids.settings.A).execute());
    expect(await version()).toBe(start + 1);

    // An update that changes nothing is not a change.
    await withUser(db, claimsFor("adminA"), (tx) =>
      tx.updateTable("app_configuration").set({ value: "33" }).where("id", "=", ids.settings.A).execute());
    // Using a key is not a configuration change either.
    await db.kysely.updateTable("api_keys").set({ last_used_at: new Date() }).where("id", "=", ids.apiKeys.A).execute();
    // Nor is recording a call.
    await db.kysely
      .insertInto("llm_calls")
      .values({ request_id: ids.requests.A, attempt: 2, created_at: "2026-11-10T12:00:01Z", organization_id: ids.orgA, status: "failed" })
      .execute();
    expect(await version()).toBe(start + 1);

    await db.kysely.updateTable("llm_providers").set({ enabled: false }).where("id", "=", ids.spareProvider).execute();
    expect(await version()).toBe(start + 2);
  });
});
