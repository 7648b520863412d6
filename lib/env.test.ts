import { afterEach, describe, expect, it, vi } from "vitest";
import { getEnv, getMode, metricsAccess, resetEnvCache, shouldAutoMigrate, shouldSeedDemo } from "./env";

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnvCache();
  return getEnv();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("modes", () => {
  it("is embedded without DATABASE_URL, with migrations and demo data", () => {
    const env = withEnv({ DATABASE_URL: "", NEXT_PUBLIC_SUPABASE_URL: "", NEXT_PUBLIC_SUPABASE_ANON_KEY: "" });
    expect(getMode(env)).toBe("embedded");
    expect(shouldAutoMigrate(env)).toBe(true);
    expect(shouldSeedDemo(env)).toBe(true);
    expect(env.PGLITE_DATA_DIR).toBe(".data/pglite");
  });

  it("is server mode with DATABASE_URL alone", () => {
    const env = withEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", NEXT_PUBLIC_SUPABASE_URL: "" });
    expect(getMode(env)).toBe("server");
    expect(shouldSeedDemo(env)).toBe(true);
  });

  it("is supabase mode with the Supabase settings, and never seeds demo data there", () => {
    const env = withEnv({
      DATABASE_URL: "postgres://u:p@db.example.supabase.co:6543/postgres",
      NEXT_PUBLIC_SUPABASE_URL: "https://example.supabase.co",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon",
      DEMO_SEED: "true",
    });
    expect(getMode(env)).toBe("supabase");
    expect(shouldSeedDemo(env)).toBe(false);
    expect(shouldAutoMigrate(env)).toBe(false);
  });

  it("takes an optional DIRECT_DATABASE_URL beside a pooled DATABASE_URL (empty = unset, not a URL = refused)", () => {
    const pooled = "postgres://u:p@127.0.0.1:6432/db";
    expect(withEnv({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: "" }).DIRECT_DATABASE_URL).toBeUndefined();
    expect(withEnv({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" }).DIRECT_DATABASE_URL).toBe("postgres://u:p@127.0.0.1:5432/db");
    vi.stubEnv("DIRECT_DATABASE_URL", "not a url");
    resetEnvCache();
    expect(() => getEnv()).toThrow(/DIRECT_DATABASE_URL/);
  });

  it("seeds a production server only with an explicit DEMO_SEED=true; embedded production still seeds", () => {
    const server = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", NEXT_PUBLIC_SUPABASE_URL: "", NODE_ENV: "production" };
    expect(shouldSeedDemo(withEnv({ ...server, DEMO_SEED: "" }))).toBe(false);
    expect(shouldSeedDemo(withEnv({ ...server, DEMO_SEED: "true" }))).toBe(true);
    expect(shouldSeedDemo(withEnv({ ...server, NODE_ENV: "development", DEMO_SEED: "" }))).toBe(true);
    expect(shouldSeedDemo(withEnv({ DATABASE_URL: "", NODE_ENV: "production", DEMO_SEED: "" }))).toBe(true);
  });

  it("lets DEMO_SEED=false switch demo data off", () => {
    expect(shouldSeedDemo(withEnv({ DATABASE_URL: "", DEMO_SEED: "false" }))).toBe(false);
  });
});

describe("metrics access", () => {
  it("is closed in production unless METRICS_TOKEN or METRICS_PUBLIC=true; a token is always required when set", () => {
    const token = "metrics-token-0123456789";
    expect(metricsAccess(withEnv({ NODE_ENV: "production", METRICS_TOKEN: "", METRICS_PUBLIC: "" }))).toEqual({ kind: "closed" });
    expect(metricsAccess(withEnv({ NODE_ENV: "production", METRICS_TOKEN: "", METRICS_PUBLIC: "true" }))).toEqual({ kind: "public" });
    expect(metricsAccess(withEnv({ NODE_ENV: "production", METRICS_TOKEN: token, METRICS_PUBLIC: "true" }))).toEqual({ kind: "token", token });
    expect(metricsAccess(withEnv({ NODE_ENV: "development", METRICS_TOKEN: "", METRICS_PUBLIC: "" }))).toEqual({ kind: "public" });
    expect(metricsAccess(withEnv({ NODE_ENV: "development", METRICS_TOKEN: token }))).toEqual({ kind: "token", token });
  });
});

describe("TRUSTED_PROXY", () => {
  it.each([
    [undefined, 0], ["", 0], ["false", 0], ["0", 0], ["true", 1], ["TRUE", 1], ["1", 1], ["2", 2],
  ])("%s → %d trusted hops", (value, hops) => {
    expect(withEnv({ TRUSTED_PROXY: value }).TRUSTED_PROXY).toBe(hops);
  });
});

describe("validation", () => {
  it.each([
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET"],
    [{ DEMO_PASSWORD: "short" }, "DEMO_PASSWORD"],
    [{ DEMO_SEED: "maybe" }, "DEMO_SEED"],
    [{ METRICS_PUBLIC: "sure" }, "METRICS_PUBLIC"],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN"],
    [{ TRUSTED_PROXY: "10.0.0.1" }, "TRUSTED_PROXY"],
  ])("refuses %j naming the variable", (vars, name) => {
    expect(() => withEnv(vars)).toThrow(name);
  });
});
