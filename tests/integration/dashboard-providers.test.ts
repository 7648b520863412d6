import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadProviders, setProviderEnabled, setProviderEnvVar } from "@/lib/db/providers";
import { withUser } from "@/lib/db/rls";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { providerEnvVarSchema } from "@/lib/schemas/llm-provider";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/** Providers page: key presence and circuit state from the runtime, writes under RLS. */

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    if (err instanceof WriteRefusal) return "refused";
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? code : String(err);
  }
}

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

  it("the env var name must look like *_API_KEY, in the schema and in the database", async () => {
    for (const name of ["DATABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "openai_api_key", "OPENAI_API_KEY;rm"]) {
      expect(providerEnvVarSchema.safeParse({ id: ids.spareProvider, apiKeyEnvVar: name }).success).toBe(false);
    }
    const bypass = await outcome(() =>
      as("platformAdmin", (tx) => tx.updateTable("llm_providers").set({ api_key_env_var: "DATABASE_URL" }).where("id", "=", ids.spareProvider).execute()),
    );
    expect(bypass).toBe("23514");
    await as("platformAdmin", (tx) => setProviderEnvVar(tx, { id: ids.spareProvider, apiKeyEnvVar: "SPARE2_API_KEY" }));
    const rows = await loadProviders(db, claimsFor("platformAdmin"), { env: {}, circuits: {} });
    expect(rows.find((r) => r.id === ids.spareProvider)?.apiKeyEnvVar).toBe("SPARE2_API_KEY");
  });

  it("a keyed provider cannot drop its key name; a key-less kind can", async () => {
    expect(await outcome(() => as("platformAdmin", (tx) => setProviderEnvVar(tx, { id: ids.spareProvider, apiKeyEnvVar: null })))).toBe("refused");
    expect(await outcome(() => as("platformAdmin", (tx) => setProviderEnvVar(tx, { id: ids.provider, apiKeyEnvVar: null })))).toBe("ok");
    expect(await outcome(() => as("viewerA", (tx) => setProviderEnvVar(tx, { id: ids.spareProvider, apiKeyEnvVar: "X_API_KEY" })))).toBe("refused");
  });
});
