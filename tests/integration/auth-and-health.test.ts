import bcrypt from "bcryptjs";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { serviceDb } from "@/lib/db/service";
import { shutdownDb } from "@/lib/db/instance";
import { createSessionToken, verifyPassword, verifySessionToken } from "@/lib/auth/local-session";
import { getHealth } from "@/lib/health/health";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { pointAppAtFreshDatabase } from "../helpers/databases";

/**
 * Local auth and health through the app's own getDb() (migrate on start), once on PGlite and
 * once on a fresh PostgreSQL database when one is available.
 */
const adminUrl = inject("pgAdminUrl");
const modes = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres" }] : [])];

describe.each(modes)("local auth and health on $name", ({ name }) => {
  let dropTemp: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    vi.stubEnv("DEMO_SEED", "false");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    dropTemp = await pointAppAtFreshDatabase(name === "postgres" ? adminUrl : undefined);
    resetEnvCache();
    const db = await serviceDb();
    await db
      .insertInto("auth.users")
      .values({ email: "someone@example.com", encrypted_password: await bcrypt.hash("correct horse", 10) })
      .execute();
  });

  afterAll(async () => {
    await closeRecorder();
    await shutdownDb();
    await dropTemp?.();
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("accepts the right password, case-insensitively on the email", async () => {
    const user = await verifyPassword("SomeOne@example.com", "correct horse");
    expect(user?.email).toBe("someone@example.com");
  });

  it.each([
    ["wrong password", "someone@example.com", "wrong horse"],
    ["unknown email", "nobody@example.com", "correct horse"],
    ["empty password", "someone@example.com", ""],
  ])("refuses a %s", async (_case, email, password) => {
    expect(await verifyPassword(email, password)).toBeNull();
  });

  it("issues a session JWT in Supabase's claim shape and verifies it", async () => {
    const user = await verifyPassword("someone@example.com", "correct horse");
    const { token, expiresAt } = await createSessionToken(user!);
    const claims = await verifySessionToken(token);
    expect(claims).toMatchObject({ sub: user!.id, role: "authenticated", email: "someone@example.com", aud: "authenticated" });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 11 * 3600 * 1000);
  });

  it("keeps the generated signing key in the database", async () => {
    const user = await verifyPassword("someone@example.com", "correct horse");
    const { token } = await createSessionToken(user!);
    const db = await serviceDb();
    const secret = await db.selectFrom("instance_secrets").select("value").where("name", "=", "session_signing_key").executeTakeFirst();
    expect(secret?.value.length).toBeGreaterThanOrEqual(48);
    expect(await verifySessionToken(token)).not.toBeNull();
  });

  it.each([
    ["a token signed with another key", async () =>
      new SignJWT({ role: "authenticated", email: "x@example.com" })
        .setProtectedHeader({ alg: "HS256" }).setSubject("00000000-0000-0000-0000-000000000001")
        .setIssuer("llm-control-plane").setAudience("authenticated").setExpirationTime("1h")
        .sign(new TextEncoder().encode("another-key-another-key-another-key!!"))],
    ["an expired token", async () => {
      const user = await verifyPassword("someone@example.com", "correct horse");
      const { token } = await createSessionToken(user!);
      const [h, p, s] = token.split(".");
      const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
      payload.exp = Math.floor(Date.now() / 1000) - 10;
      return `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    }],
    ["garbage", async () => "not.a.jwt"],
    ["nothing", async () => undefined],
  ])("rejects %s", async (_case, make) => {
    expect(await verifySessionToken(await make())).toBeNull();
  });

  it("reports health: database up, migrations applied, no keys", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-test-secret-value");
    const db = await serviceDb();
    await db.insertInto("llm_providers").values([
      { code: "openai", name: "OpenAI", kind: "openai", api_key_env_var: "OPENAI_API_KEY" },
      { code: "anthropic", name: "Anthropic", kind: "anthropic", api_key_env_var: "ANTHROPIC_API_KEY" },
      { code: "mock", name: "Mock", kind: "mock", api_key_env_var: null },
    ]).execute();
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    const health = await getHealth();
    expect(health.status).toBe("ok");
    expect(health.database.status).toBe("up");
    expect(health.database.migrations).toBeGreaterThanOrEqual(4);
    expect(health.recorder).toEqual({
      pending: 0, spooled: 0, written: 0, dead_lettered: 0, accepting: true, spool_writable: true, journal_writable: true,
    });
    expect(health.draining).toBe(false);
    expect(health.providers).toEqual([
      { code: "anthropic", kind: "anthropic", enabled: true, circuit: "closed", key_configured: false },
      { code: "mock", kind: "mock", enabled: true, circuit: "closed", key_configured: true },
      { code: "openai", kind: "openai", enabled: true, circuit: "closed", key_configured: true },
    ]);
    // Startup ran partition upkeep: this month and 3 ahead, no default partition.
    expect(health.partitions).toMatchObject({ current_month: true, default_partition: false, rows_in_default: null });
    expect(health.partitions!.months_ahead).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(health)).not.toContain("sk-test-secret-value");
  });
});
