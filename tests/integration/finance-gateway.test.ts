import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import { updateBudgetAction } from "@/lib/actions/budgets/update-budget";
import { GET as savingsCsv } from "@/app/api/dashboard/savings/route";
import { GET as cronBudgetAlerts } from "@/app/api/cron/budget-alerts/route";
import { loadBudgets, updateBudget } from "@/lib/db/budgets";
import { getDb } from "@/lib/db/instance";
import { withUser, type JwtClaims } from "@/lib/db/rls";
import { serviceDb } from "@/lib/db/service";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { resetEnvCache } from "@/lib/env";
import { budgetWebhooksIdle, signPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "@/lib/finance/budget-webhooks";
import { SAVINGS_CSV_HEADER } from "@/lib/reports/savings-csv";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Budgets end to end on a real gateway: the server action's validation and refusals, the
 * database refusing non-platform admins, the gateway blocking with 429 after a platform admin
 * lowers a budget, the alert it records going to the webhook right away, the savings CSV route
 * and the budget-alerts cron route.
 */

vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => session.user,
  getSessionClaims: async () => session.user?.claims ?? null,
  requireSessionUser: async () => {
    if (!session.user) throw new Error("not signed in");
    return session.user;
  },
}));

const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const SECRET = "whsec-gateway-test-0123456789";
const CRON = "cron-secret-0123456789abcdef";
const USERS = {
  platform: "0b000000-0000-4000-8000-00000000f001",
  acmeAdmin: "0b000000-0000-4000-8000-00000000f002",
  acmeFinance: "0b000000-0000-4000-8000-00000000f003",
};

function userOf(id: string, email: string, isPlatformAdmin: boolean): SessionUser {
  return { id, email, claims: { sub: id, role: "authenticated", email }, memberships: [], isPlatformAdmin };
}

describe.each(targets)("budgets and savings through the gateway on $name", (target) => {
  let world: GatewayWorld;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let receiver: http.Server;
  let hookUrl = "";
  const chat = () =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: "classify", organization: "acme" } }),
    });
  const platform = () => userOf(USERS.platform, "platform@fin.test", true);

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.statusCode = 200;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/budget?token=abc`;
    vi.stubEnv("BUDGET_WEBHOOK_SECRET", SECRET);
    world = await startGatewayWorld(target);
    const db = await serviceDb();
    await db.insertInto("auth.users").values(Object.entries(USERS).map(([k, id]) => ({ id, email: `${k}@fin.test` }))).execute();
    await db
      .insertInto("memberships")
      .values([
        { user_id: USERS.platform, organization_id: null, role: "admin" },
        { user_id: USERS.acmeAdmin, organization_id: world.ids.acme, role: "admin" },
        { user_id: USERS.acmeFinance, organization_id: world.ids.acme, role: "finance" },
      ])
      .execute();
  });
  afterAll(async () => {
    await budgetWebhooksIdle();
    await world?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("the action returns field errors for invalid input and changes nothing", async () => {
    session.user = platform();
    const result = await updateBudgetAction({
      organizationId: world.ids.acme,
      monthlyBudget: "-5",
      currency: "euro",
      policy: "panic",
      webhookUrl: "http://hooks.example.com/x",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["currency", "monthlyBudget", "policy", "webhookUrl"]);
    expect(result.fieldErrors?.webhookUrl?.[0]).toMatch(/https/);
    const tooPrecise = await updateBudgetAction({ organizationId: world.ids.acme, monthlyBudget: "1.1234567", currency: "USD", policy: "block", webhookUrl: "" });
    expect(tooPrecise.ok ? null : tooPrecise.fieldErrors?.monthlyBudget?.[0]).toMatch(/6 decimals/);
    const acme = await (await serviceDb()).selectFrom("organizations").select(["monthly_budget"]).where("id", "=", world.ids.acme).executeTakeFirstOrThrow();
    expect(acme.monthly_budget).toBeNull();
  });

  it("an organization admin is refused by the action and by the database", async () => {
    session.user = userOf(USERS.acmeAdmin, "acmeAdmin@fin.test", false);
    const input = { organizationId: world.ids.acme, monthlyBudget: "5", currency: "USD", policy: "block" as const, webhookUrl: null };
    const result = await updateBudgetAction(input);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/permission/) });
    // Past the app's early check, RLS on organizations filters the row out.
    const db = await getDb();
    const refused = await withUser(db, session.user.claims as JwtClaims, (tx) => updateBudget(tx, input)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WriteRefusal);
    // They can still read their organization's budget, and only theirs.
    const seen = await loadBudgets(db, session.user.claims as JwtClaims);
    expect(seen.organizations.map((o) => o.slug)).toEqual(["acme"]);
  });

  it("the gateway blocks with 429 once a platform admin lowers the budget, and the alert reaches the webhook signed", async () => {
    expect((await chat()).status).toBe(200);
    session.user = platform();
    const saved = await updateBudgetAction({ organizationId: world.ids.acme, monthlyBudget: "0", currency: "USD", policy: "block", webhookUrl: hookUrl });
    expect(saved).toMatchObject({ ok: true });

    let status = 0;
    let body: { error?: { type: string; message: string } } = {};
    // The budget and the month-to-date figure it is checked against reach the gateway within a second.
    for (let i = 0; i < 60 && status !== 429; i++) {
      const res = await chat();
      status = res.status;
      body = (await res.json()) as typeof body;
      if (status !== 429) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ type: "budget_exceeded", message: expect.stringMatching(/budget/i) });

    for (let i = 0; i < 100 && received.length < 2; i++) {
      await budgetWebhooksIdle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(received.map((r) => (JSON.parse(r.body) as { threshold_pct: number }).threshold_pct).sort()).toEqual([100, 80]);
    for (const r of received) {
      expect(r.headers[SIGNATURE_HEADER]).toBe(signPayload(SECRET, String(r.headers[TIMESTAMP_HEADER]), r.body));
      expect(JSON.parse(r.body)).toMatchObject({ type: "budget.threshold_crossed", organization: { slug: "acme" }, budget: "0", currency: "USD", policy: "block" });
    }
    const budgets = await loadBudgets(await getDb(), platform().claims as JwtClaims);
    expect(budgets.organizations.find((o) => o.slug === "acme")).toMatchObject({ monthlyBudget: "0", over: true, webhookHost: hookUrl.slice(7, hookUrl.indexOf("/budget")) });
    expect(budgets.alerts.filter((a) => a.organizationId === world.ids.acme).map((a) => a.status)).toEqual(["delivered", "delivered"]);
    // Acme's finance member sees the delivery, never the webhook (its URL may hold a token).
    const asFinance = await loadBudgets(await getDb(), userOf(USERS.acmeFinance, "acmeFinance@fin.test", false).claims as JwtClaims);
    expect(asFinance.webhooksVisible).toBe(false);
    expect(asFinance.organizations.find((o) => o.slug === "acme")).toMatchObject({ webhookUrl: null, webhookHost: null });
    expect(asFinance.alerts.filter((a) => a.organizationId === world.ids.acme).map((a) => a.status)).toEqual(["delivered", "delivered"]);
  });

  it("the savings CSV route exports the signed-in user's organizations only, and refuses bad input with 400", async () => {
    await flushed();
    session.user = null;
    expect((await savingsCsv(new NextRequest("http://localhost/api/dashboard/savings"))).status).toBe(401);
    session.user = userOf(USERS.acmeFinance, "acmeFinance@fin.test", false);
    const bad = await savingsCsv(new NextRequest("http://localhost/api/dashboard/savings?from=2026-13"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe("invalid_request");
    const res = await savingsCsv(new NextRequest("http://localhost/api/dashboard/savings"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(SAVINGS_CSV_HEADER.join(","));
    const orgRows = lines.filter((l) => l.startsWith("Organization and period,"));
    expect(orgRows.length).toBeGreaterThan(0);
    expect(orgRows.every((l) => l.startsWith("Organization and period,Acme,"))).toBe(true);
    expect(lines.some((l) => l.includes("Tight budget"))).toBe(false);
  });

  it("the cron route needs the cron secret and then dispatches", async () => {
    vi.stubEnv("CRON_SECRET", CRON);
    resetEnvCache();
    const call = (auth?: string) =>
      cronBudgetAlerts(new Request("http://localhost/api/cron/budget-alerts", { headers: auth ? { authorization: auth } : {} }));
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-0123456789abc")).status).toBe(401);
    const ok = await call(`Bearer ${CRON}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
  });
});
