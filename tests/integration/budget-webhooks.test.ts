import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadBudgets, updateBudget } from "@/lib/db/budgets";
import { withUser } from "@/lib/db/rls";
import { MAX_ATTEMPTS, backoffSeconds } from "@/lib/engine/budget-webhook";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, dispatchBudgetAlerts, signPayload } from "@/lib/finance/budget-webhooks";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, FIXTURE_WEBHOOK_TOKEN, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/** Budget alert webhooks against a real loopback HTTP server, on PGlite and PostgreSQL. */

const SECRET = "whsec-test-0123456789abcdef";
const TOKEN = "tok-SECRET-in-the-query-42";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver whose answers are queued per test (default 204), optionally slow. */
async function startReceiver() {
  const received: Received[] = [];
  const answers: { status: number; delayMs?: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      const answer = answers.shift() ?? { status: 204 };
      setTimeout(() => {
        res.statusCode = answer.status;
        res.end();
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/budget?token=${TOKEN}`,
    host: `127.0.0.1:${port}`,
    received,
    answers,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe("webhook backoff", () => {
  it("doubles from 30 s and is capped at 6 h", () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(30)).toBe(21_600);
  });
});

describe.each(databaseTargets())("budget webhooks on $name", (target) => {
  let db: Database;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const alertOf = (org: string) =>
    db.kysely.selectFrom("budget_alerts").selectAll().where("organization_id", "=", org).orderBy("threshold_pct").execute();

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.close();
  });

  const setWebhook = (org: string, url: string) =>
    db.kysely
      .insertInto("organization_webhooks")
      .values({ organization_id: org, url })
      .onConflict((oc) => oc.column("organization_id").doUpdateSet({ url }))
      .execute();

  it("only platform admins read the webhook URL; the audit trail keeps its scheme and host only", async () => {
    const SLACK_TOKEN = "XoXbSeCrEt1234567890abcdef";
    const slack = (token: string) => `https://hooks.slack.example/services/T0AAAA/B0BBBB/${token}?sig=${token}`;
    const orgA = await db.kysely.selectFrom("organizations").select(["monthly_budget", "budget_currency", "budget_policy"])
      .where("id", "=", ids.orgA).executeTakeFirstOrThrow();
    const save = (webhookUrl: string | null) =>
      withUser(db, claimsFor("platformAdmin"), (tx) => updateBudget(tx, {
        organizationId: ids.orgA, monthlyBudget: orgA.monthly_budget, currency: orgA.budget_currency, policy: orgA.budget_policy, webhookUrl,
      }));
    // The platform admin replaces the fixture's webhook, then rotates its token (same host).
    await save(slack("first-token-abc"));
    await save(slack(SLACK_TOKEN));
    await save(slack(SLACK_TOKEN)); // unchanged: no audit row

    const urls = (user: FixtureUser) =>
      withUser(db, claimsFor(user), async (tx) => (await tx.selectFrom("organization_webhooks").select(["organization_id", "url"]).execute()));
    const trail = (user: FixtureUser) =>
      withUser(db, claimsFor(user), async (tx) => (await tx.selectFrom("audit_log")
        .select(["organization_id", "action", "actor_id", "before", "after"])
        .where("table_name", "=", "organization_webhooks").orderBy("id").execute()));

    // Platform admin: the full URL, in the table and in the Budgets loader (to edit it).
    expect(await urls("platformAdmin")).toEqual([{ organization_id: ids.orgA, url: slack(SLACK_TOKEN) }]);
    const asPlatform = await loadBudgets(db, claimsFor("platformAdmin"));
    expect(asPlatform.webhooksVisible).toBe(true);
    expect(asPlatform.organizations.find((o) => o.id === ids.orgA)).toMatchObject({ webhookUrl: slack(SLACK_TOKEN), webhookHost: "hooks.slack.example" });

    // Members of A, its admin included: not a row, not a host, not even whether one is set.
    for (const user of ["viewerA", "financeA", "adminA", "outsider", "adminB"] as const) {
      expect(await urls(user), user).toEqual([]);
      const budgets = await loadBudgets(db, claimsFor(user));
      expect(budgets.webhooksVisible, user).toBe(false);
      for (const o of budgets.organizations) expect(o, user).toMatchObject({ webhookUrl: null, webhookHost: null });
      expect(JSON.stringify(budgets), user).not.toMatch(/hooks\.slack\.example|token|XoXb/);
    }

    // The audit trail: A's admin sees the changes, by host only; a viewer sees no trail at all.
    const expected = [
      { action: "insert", actor_id: null, before: null, after: { url_scheme: "http", url_host: "127.0.0.1:9" } },
      { action: "update", actor_id: ids.users.platformAdmin, before: { url_host: "127.0.0.1:9" }, after: { url_scheme: "https", url_host: "hooks.slack.example" } },
      { action: "update", actor_id: ids.users.platformAdmin, before: { url_host: "hooks.slack.example" }, after: { url_host: "hooks.slack.example" } },
    ].map(({ before, after, ...rest }) => ({
      ...rest, organization_id: ids.orgA,
      before: before && expect.objectContaining(before), after: after && expect.objectContaining(after),
    }));
    const adminTrail = await trail("adminA");
    expect(adminTrail).toEqual(expected);
    expect(await trail("platformAdmin")).toEqual(expected);
    for (const row of adminTrail) {
      for (const side of [row.before, row.after]) if (side) expect(Object.keys(side).sort()).toEqual(["organization_id", "updated_by", "url_host", "url_scheme"]);
    }
    expect(await trail("viewerA")).toEqual([]);
    expect(await trail("financeA")).toEqual([]);
    expect(await trail("adminB")).toEqual([]);

    // Removing the webhook is recorded too; and nowhere in the whole trail is a token or a path.
    await save(null);
    expect(await urls("platformAdmin")).toEqual([]);
    expect((await trail("adminA")).at(-1)).toMatchObject({ action: "delete", before: { url_host: "hooks.slack.example" }, after: null });
    const { rows: leaks } = await sql<{ n: number }>`select count(*)::int as n from public.audit_log a
      where a::text like any (array[${`%${SLACK_TOKEN}%`}, '%first-token-abc%', ${`%${FIXTURE_WEBHOOK_TOKEN}%`}, '%/services/%'])`.execute(db.kysely);
    expect(leaks[0]!.n).toBe(0);
  });

  it("without a webhook URL an alert stays undelivered and is not retried", async () => {
    const result = await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log });
    expect(result).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(await alertOf(ids.orgA)).toMatchObject([{ notified_at: null, attempts: 0, next_attempt_at: null }]);
    const budgets = await loadBudgets(db, claimsFor("financeA"), new Date("2026-11-24T12:00:00Z"));
    // Finance cannot know whether a webhook is set: the alert is "not sent" (yet), nothing more.
    expect(budgets.alerts.map((a) => [a.organizationId, a.status])).toEqual([[ids.orgA, "not_sent"]]);
    const asPlatform = await loadBudgets(db, claimsFor("platformAdmin"), new Date("2026-11-24T12:00:00Z"));
    expect(asPlatform.alerts.find((a) => a.organizationId === ids.orgA)?.status).toBe("no_webhook");
    expect(receiver.received).toHaveLength(0);
  });

  it("retries after a 500 with backoff, then delivers a signed payload once", async () => {
    await setWebhook(ids.orgA, receiver.url);
    receiver.answers.push({ status: 500 });
    const t0 = new Date();
    expect(await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, now: t0 })).toEqual({ claimed: 1, delivered: 0, failed: 1 });
    const [failed] = await alertOf(ids.orgA);
    expect(failed).toMatchObject({ notified_at: null, attempts: 1, last_error: `HTTP 500 from ${receiver.host}` });
    expect(new Date(failed!.next_attempt_at!).getTime()).toBe(t0.getTime() + 30_000);
    // The URL's token is never logged nor stored: only the host.
    expect(logs.join("\n")).toContain(receiver.host);
    expect(logs.join("\n")).not.toContain(TOKEN);
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
    const status = await loadBudgets(db, claimsFor("platformAdmin"));
    expect(status.alerts.find((a) => a.organizationId === ids.orgA)?.status).toBe("retrying");

    // Not due yet: nothing is sent.
    expect((await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, now: new Date(t0.getTime() + 29_000) })).claimed).toBe(0);
    expect(receiver.received).toHaveLength(1);

    const later = new Date(t0.getTime() + 31_000);
    expect(await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, now: later })).toEqual({ claimed: 1, delivered: 1, failed: 0 });
    const [delivered] = await alertOf(ids.orgA);
    expect(delivered).toMatchObject({ attempts: 2, last_error: null, next_attempt_at: null });
    expect(delivered!.notified_at).not.toBeNull();

    const last = receiver.received.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({
      type: "budget.threshold_crossed",
      organization: { id: ids.orgA, slug: "rls-org-a", name: "Org A" },
      month: "2026-11",
      threshold_pct: 80,
      spent: "8.5",
      budget: "10",
      currency: "EUR",
      policy: "alert",
      created_at: new Date(delivered!.created_at).toISOString(),
    });
    expect(last.headers["content-type"]).toBe("application/json");
    expect(last.headers[DELIVERY_HEADER]).toBe(delivered!.id);
    const timestamp = String(last.headers[TIMESTAMP_HEADER]);
    expect(last.headers[SIGNATURE_HEADER]).toBe(signPayload(SECRET, timestamp, last.body));
    expect(last.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);

    // Delivered: never again, however often the dispatcher runs.
    for (let i = 0; i < 3; i++) expect((await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, now: new Date(later.getTime() + 86_400_000) })).claimed).toBe(0);
    expect(receiver.received).toHaveLength(2);
    expect((await loadBudgets(db, claimsFor("financeA"))).alerts[0]?.status).toBe("delivered");
  });

  it("two dispatchers running at once deliver a new alert exactly once, unsigned without a secret", async () => {
    await db.kysely
      .insertInto("budget_alerts")
      .values({ organization_id: ids.orgA, month: "2026-11-01", threshold_pct: 100, spent: "10.25", budget: "10", currency: "EUR", policy: "block" })
      .execute();
    const before = receiver.received.length;
    const results = await Promise.all([dispatchBudgetAlerts(db.kysely, { log }), dispatchBudgetAlerts(db.kysely, { log })]);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(1);
    expect(receiver.received.length - before).toBe(1);
    const last = receiver.received.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ threshold_pct: 100, spent: "10.25", policy: "block" });
    expect(last.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it("a slow webhook times out; after the last attempt the alert is marked failed", async () => {
    await setWebhook(ids.orgB, receiver.url);
    receiver.answers.push({ status: 200, delayMs: 1_000 });
    const result = await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, timeoutMs: 200 });
    expect(result).toMatchObject({ claimed: 1, failed: 1 });
    const [slow] = await alertOf(ids.orgB);
    expect(slow).toMatchObject({ attempts: 1, last_error: `timeout after 0.2 s from ${receiver.host}`, notified_at: null });

    await db.kysely.updateTable("budget_alerts").set({ attempts: MAX_ATTEMPTS - 1, next_attempt_at: null }).where("id", "=", slow!.id).execute();
    receiver.answers.push({ status: 503 });
    expect(await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log })).toMatchObject({ claimed: 1, failed: 1 });
    const [gaveUp] = await alertOf(ids.orgB);
    expect(gaveUp).toMatchObject({ attempts: MAX_ATTEMPTS, next_attempt_at: null, notified_at: null });
    expect((await dispatchBudgetAlerts(db.kysely, { secret: SECRET, log, now: new Date(Date.now() + 86_400_000) })).claimed).toBe(0);
    const budgets = await loadBudgets(db, claimsFor("platformAdmin"));
    expect(budgets.alerts.find((a) => a.organizationId === ids.orgB)?.status).toBe("failed");
  });

  it("the database refuses a plain-http webhook on a public host and credentials before the host", async () => {
    for (const url of ["http://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "ftp://127.0.0.1/x", "http://localhost.evil.com/x"]) {
      const err = await setWebhook(ids.orgB, url)
        .then(() => null, (e: unknown) => (e as { code?: string }).code);
      expect(err, url).toBe("23514");
    }
  });
});
