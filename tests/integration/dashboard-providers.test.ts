import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadProviders, saveProvider, setProviderEnabled } from "@/lib/db/providers";
import { withUser } from "@/lib/db/rls";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { providerFormSchema, type ProviderFormInput } from "@/lib/schemas/llm-provider";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/** Providers page: key presence and circuit state from the runtime, writes under RLS. */

describe.each(databaseTargets())("dashboard providers on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("reports key presence as a status only and the circuit from this instance's breakers", async () => {
    const secret = "sk-never-shown-0123456789";
    const rows = await loadProviders(db, claimsFor("platformAdmin"), { env: { SPARE_API_KEY: secret }, circuits: { "rls-spare": "open" } });
    const spare = rows.find((r) => r.id === ids.spareProvider);
    expect(spare).toMatchObject({ apiKeyEnvVar: "SPARE_API_KEY", key: "present", circuit: "open", modelCount: 0 });
    expect(rows.find((r) => r.id === ids.provider)).toMatchObject({ key: "not_needed", circuit: "closed", modelCount: 3 });
    expect(JSON.stringify(rows)).not.toContain(secret);
    const missing = await loadProviders(db, claimsFor("platformAdmin"), { env: { SPARE_API_KEY: "  " }, circuits: {} });
    expect(missing.find((r) => r.id === ids.spareProvider)?.key).toBe("missing");
  });

  it.each([
    ["viewerA", "refused"],
    ["financeA", "refused"],
    ["adminA", "refused"],
    ["platformAdmin", "ok"],
  ] as const)("%s disabling a provider → %s (RLS hides the row from non-platform admins)", async (user, expected) => {
    expect(await outcome(() => as(user, (tx) => setProviderEnabled(tx, { id: ids.spareProvider, enabled: false })))).toBe(expected);
    await as("platformAdmin", (tx) => setProviderEnabled(tx, { id: ids.spareProvider, enabled: true }));
  });

  /** The spare provider as the form would send it, with changes. */
  const spare = async (change: Partial<ProviderFormInput> = {}): Promise<ProviderFormInput> => {
    const row = (await loadProviders(db, claimsFor("platformAdmin"), { env: {}, circuits: {} })).find((r) => r.id === ids.spareProvider)!;
    return {
      id: row.id, code: row.code, name: row.name, kind: row.kind as ProviderFormInput["kind"], baseUrl: row.baseUrl,
      apiKeyEnvVar: row.apiKeyEnvVar, timeoutMs: row.timeoutMs, maxRetries: row.maxRetries, ...change,
    };
  };

  it("the env var name must look like *_API_KEY, in the schema and in the database", async () => {
    const base = await spare();
    for (const name of ["DATABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "openai_api_key", "OPENAI_API_KEY;rm"]) {
      const parsed = providerFormSchema.safeParse({ ...base, apiKeyEnvVar: name });
      expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(["apiKeyEnvVar"]);
    }
    const bypass = await outcome(() =>
      as("platformAdmin", (tx) => tx.updateTable("llm_providers").set({ api_key_env_var: "DATABASE_URL" }).where("id", "=", ids.spareProvider).execute()),
    );
    expect(bypass).toBe("23514");
    const renamed = await spare({ apiKeyEnvVar: "SPARE2_API_KEY" });
    await as("platformAdmin", (tx) => saveProvider(tx, renamed));
    const rows = await loadProviders(db, claimsFor("platformAdmin"), { env: {}, circuits: {} });
    expect(rows.find((r) => r.id === ids.spareProvider)?.apiKeyEnvVar).toBe("SPARE2_API_KEY");
  });

  it("a keyed kind needs a key name and an OpenAI-compatible one a base URL (schema and database)", async () => {
    const base = await spare();
    expect(providerFormSchema.safeParse({ ...base, apiKeyEnvVar: "" }).error?.issues.map((i) => i.path[0])).toEqual(["apiKeyEnvVar"]);
    expect(providerFormSchema.safeParse({ ...base, kind: "openai_compatible", apiKeyEnvVar: "", baseUrl: "" }).error?.issues.map((i) => i.path[0])).toEqual(["baseUrl"]);
    // A forged call past the form: the table's check refuses a keyed kind without a key name.
    expect(await outcome(() => as("platformAdmin", (tx) => saveProvider(tx, { ...base, apiKeyEnvVar: null })))).toBe("23514");
  });

  it("edits kind, base URL, timeout and retries; the code stays; non-platform admins are refused", async () => {
    const edit = await spare({ kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1", timeoutMs: 5000, maxRetries: 0 });
    for (const user of ["viewerA", "financeA", "adminA"] as const) {
      expect(await outcome(() => as(user, (tx) => saveProvider(tx, edit)))).toBe("refused");
    }
    expect(await as("platformAdmin", (tx) => saveProvider(tx, edit))).toEqual({ id: ids.spareProvider, created: false });
    const row = (await loadProviders(db, claimsFor("platformAdmin"), { env: {}, circuits: {} })).find((r) => r.id === ids.spareProvider);
    expect(row).toMatchObject({ kind: "openai_compatible", baseUrl: "http://127.0.0.1:11434/v1", timeoutMs: 5000, maxRetries: 0 });
    // The code is the provider's stable name: an edit that changes it matches nothing.
    expect(await outcome(() => as("platformAdmin", (tx) => saveProvider(tx, { ...edit, code: "renamed" })))).toBe("refused");
    const audit = await db.kysely.selectFrom("audit_log").select(["before", "after"]).where("record_id", "=", ids.spareProvider).where("action", "=", "update").execute();
    expect(audit.some((a) => (a.after as { timeout_ms?: number }).timeout_ms === 5000)).toBe(true);
  });

  it("adds a provider; a duplicate code is a field error and only platform admins may add", async () => {
    const fresh: ProviderFormInput = {
      code: "azure-eu", name: "Azure EU", kind: "openai_compatible", baseUrl: "https://example.openai.azure.com/openai/v1",
      apiKeyEnvVar: "AZURE_EU_API_KEY", timeoutMs: 30000, maxRetries: 1,
    };
    expect(await outcome(() => as("adminA", (tx) => saveProvider(tx, fresh)))).toBe("42501");
    const created = await as("platformAdmin", (tx) => saveProvider(tx, fresh));
    expect(created.created).toBe(true);
    const rows = await loadProviders(db, claimsFor("platformAdmin"), { env: { AZURE_EU_API_KEY: "k" }, circuits: {} });
    expect(rows.find((r) => r.code === "azure-eu")).toMatchObject({ key: "present", modelCount: 0, enabled: true });
    try {
      await as("platformAdmin", (tx) => saveProvider(tx, fresh));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WriteRefusal);
      expect((err as WriteRefusal).fieldErrors).toHaveProperty("code");
    }
  });
});
