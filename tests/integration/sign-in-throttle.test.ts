import bcrypt from "bcryptjs";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { serviceDb } from "@/lib/db/service";
import { shutdownDb } from "@/lib/db/instance";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address";
import { pointAppAtFreshDatabase } from "../helpers/databases";

/**
 * Issue 9 item 15 through the real sign-in action, real bcrypt and the app's own database (PGlite
 * and PostgreSQL). Next's request context is replaced by plain Headers and a cookie jar: the
 * request headers are what server.ts and Next hand the action (server.ts stamps the socket address).
 */
const request = { headers: new Headers() };
const jar: { name: string; value: string; options: Record<string, unknown> }[] = [];

vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ set: (name: string, value: string, options: Record<string, unknown>) => jar.push({ name, value, options }) }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { to });
  },
}));

const { signInAction } = await import("@/lib/actions/auth/sign-in");

const PASSWORD = "correct horse battery";
const OWNER = "owner@example.com";

/** The action's outcome: the redirect target on success, else the error it shows. */
async function signIn(email: string, password: string, headers: Record<string, string>, next?: string): Promise<{ to?: string; error?: string }> {
  request.headers = new Headers(headers);
  const form = new FormData();
  form.set("email", email);
  form.set("password", password);
  if (next !== undefined) form.set("next", next);
  try {
    const state = await signInAction({}, form);
    return { error: state.error };
  } catch (err) {
    const to = (err as { to?: string }).to;
    if (to === undefined) throw err;
    return { to };
  }
}

const adminUrl = inject("pgAdminUrl");
const modes = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres" }] : [])];

describe.each(modes)("sign-in on $name", ({ name }) => {
  let dropTemp: (() => Promise<void>) | undefined;
  let n = 0;
  // Fresh addresses and accounts per test: the throttle is per process.
  const fresh = () => ({ attacker: `198.51.100.${++n}`, owner: `192.0.2.${n}`, account: `${name}-${n}-${OWNER}` });

  beforeAll(async () => {
    vi.stubEnv("DEMO_SEED", "false");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    dropTemp = await pointAppAtFreshDatabase(name === "postgres" ? adminUrl : undefined);
    resetEnvCache();
    const db = await serviceDb();
    const hash = await bcrypt.hash(PASSWORD, 4);
    await db.insertInto("auth.users")
      .values(Array.from({ length: 16 }, (_, i) => ({ email: `${name}-${i + 1}-${OWNER}`, encrypted_password: hash })))
      .execute();
  });
  beforeEach(() => {
    jar.length = 0;
    vi.stubEnv("TRUSTED_PROXY", "");
    resetEnvCache();
  });
  afterAll(async () => {
    await closeRecorder();
    await shutdownDb();
    await dropTemp?.();
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("ten wrong guesses from one address do not lock the owner out from theirs", async () => {
    const { attacker, owner, account } = fresh();
    for (let i = 0; i < 10; i++) expect(await signIn(account, `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: attacker })).toEqual({ error: "Invalid email or password." });
    // The attacker's address is now blocked on that account, even with the right password.
    expect((await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: attacker })).error).toMatch(/Too many failed attempts/);
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: owner })).toEqual({ to: "/" });
    expect(jar.map((c) => c.name)).toEqual(["llmcp_session"]);
  });

  it("a forged X-Forwarded-For does not change the address without a trusted proxy", async () => {
    const { attacker, account } = fresh();
    for (let i = 0; i < 10; i++) {
      await signIn(account, `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: attacker, "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `203.0.113.${i}` });
    }
    const next = await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: attacker, "x-forwarded-for": "203.0.113.200" });
    expect(next.error).toMatch(/Too many failed attempts/);
  });

  it("behind a trusted proxy, throttles by the right-most X-Forwarded-For hop, not by what the client prepends", async () => {
    vi.stubEnv("TRUSTED_PROXY", "true");
    resetEnvCache();
    const { attacker, owner, account } = fresh();
    const proxy = "10.0.0.1";
    for (let i = 0; i < 10; i++) {
      await signIn(account, `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: proxy, "x-forwarded-for": `203.0.113.${i}, ${attacker}` });
    }
    expect((await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: proxy, "x-forwarded-for": `7.7.7.7, ${attacker}` })).error).toMatch(/Too many/);
    // Everyone else behind the same proxy still signs in.
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: proxy, "x-forwarded-for": owner })).toEqual({ to: "/" });
  });

  it("sets Secure only when a trusted proxy says https, never on the client's X-Forwarded-Proto", async () => {
    const { owner, account } = fresh();
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: owner, "x-forwarded-proto": "https" })).toEqual({ to: "/" });
    expect(jar[0]?.options).toMatchObject({ secure: false, httpOnly: true, sameSite: "lax" });
    vi.stubEnv("TRUSTED_PROXY", "1");
    resetEnvCache();
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": owner, "x-forwarded-proto": "https" })).toEqual({ to: "/" });
    expect(jar[1]?.options).toMatchObject({ secure: true });
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": owner, "x-forwarded-proto": "http" })).toEqual({ to: "/" });
    expect(jar[2]?.options).toMatchObject({ secure: false });
  });

  it.each([
    ["/%09/evil.example decoded by the query string", "/\t/evil.example", "/"],
    ["protocol-relative", "//evil.example", "/"],
    ["backslash", "/\\evil.example", "/"],
    ["absolute", "https://evil.example/", "/"],
    ["a same-origin path", "/costs?org=acme", "/costs?org=acme"],
  ])("redirects after sign-in only to same-origin paths: %s", async (_name, next, to) => {
    const { owner, account } = fresh();
    expect(await signIn(account, PASSWORD, { [CLIENT_ADDRESS_HEADER]: owner }, next)).toEqual({ to });
  });
});
