import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as cronBudgetForecast } from "@/app/api/cron/budget-forecast/route";
import { serviceDb } from "@/lib/db/service";
import { addDays, dayIn, startOfDay } from "@/lib/engine/date-range";
import { resetEnvCache } from "@/lib/env";
import { budgetWebhooksIdle } from "@/lib/finance/budget-webhooks";
import { gatewayTargets } from "@/tests/helpers/databases";
import { startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * The forecast and spike cron route (/api/cron/budget-forecast) on a real database: a flat
 * history forecasts its own level to month end (over a budget: one `budget.forecast_exceeded`
 * alert), a day above 3x the trailing 14-day median gives one `spend.spike` alert, both reach a
 * loopback webhook through the existing dispatcher, and a second run records nothing.
 */

const targets = gatewayTargets();
const CRON = "cron-secret-forecast-0123456789";

describe.each(targets)("forecast and spike alerts on $name", (target) => {
  let world: GatewayWorld;
  let receiver: http.Server;
  let hookUrl = "";
  const received: { body: string }[] = [];
  const call = (auth?: string) =>
    cronBudgetForecast(new Request("http://localhost/api/cron/budget-forecast", { headers: auth ? { authorization: auth } : {} }));

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        received.push({ body });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    world = await startGatewayWorld(target);
    vi.stubEnv("CRON_SECRET", CRON);
    resetEnvCache();
  }, 120_000);

  afterAll(async () => {
    await budgetWebhooksIdle();
    await world?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("needs the cron secret", async () => {
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-0123456789abc")).status).toBe(401);
  });

  it("records a forecast alert and a spike alert once each and delivers both", async () => {
    const db = await serviceDb();
    await db.insertInto("app_configuration").values({ key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("USD") }).execute();
    const today = dayIn("UTC", new Date());
    const noon = (day: string) => new Date(startOfDay(day, "UTC").getTime() + 12 * 3600_000);
    const calls = [];
    // Acme: 10 USD every day for 8 weeks and today: a flat profile, forecast = 10 x days in the month.
    for (let i = 0; i <= 56; i++) calls.push({ org: world.ids.acme, day: addDays(today, -i), cost: "10" });
    // WVC: 2 USD a day for the 14 days before today, today 7 (> 3 x 2): a spike.
    for (let i = 1; i <= 14; i++) calls.push({ org: world.ids.wvc, day: addDays(today, -i), cost: "2" });
    calls.push({ org: world.ids.wvc, day: today, cost: "7" });
    await db.insertInto("llm_calls").values(calls.map((c) => ({
      request_id: randomUUID(), created_at: noon(c.day), app_id: world.ids.app, organization_id: c.org,
      status: "ok" as const, cost: c.cost, currency: "USD", pricing_source: "database" as const, total_tokens: 10,
    }))).execute();
    await db.updateTable("organizations").set({ monthly_budget: "100", budget_currency: "USD", budget_policy: "alert" }).where("id", "=", world.ids.acme).execute();
    await db.insertInto("organization_webhooks").values([
      { organization_id: world.ids.acme, url: hookUrl },
      { organization_id: world.ids.wvc, url: hookUrl },
    ]).execute();

    const first = await call(`Bearer ${CRON}`);
    expect(first.status).toBe(200);
    const result = await first.json();
    // Acme's forecast, and Tight's (the world's organization already past its budget; no webhook).
    expect(result).toMatchObject({ forecastAlerts: 2, spikeAlerts: 1, unconvertible: [] });
    expect(result.delivery).toMatchObject({ delivered: 2, failed: 0 });

    const daysInMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).getUTCDate();
    const payloads = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(payloads.find((p) => p.type === "budget.forecast_exceeded")).toMatchObject({
      organization: { slug: "acme" }, forecast: String(10 * daysInMonth), budget: "100", currency: "USD", day: today, month: today.slice(0, 7),
    });
    expect(payloads.find((p) => p.type === "spend.spike")).toMatchObject({
      organization: { slug: "wvc" }, spent: "7", median: "2", day: today, threshold_pct: 350,
    });
    const rows = await db.selectFrom("budget_alerts").select(["organization_id", "kind"]).where("kind", "in", ["forecast", "spike"]).execute();
    expect(rows.map((r) => [r.organization_id, r.kind]).sort()).toEqual(
      [[world.ids.acme, "forecast"], [world.ids.tight, "forecast"], [world.ids.wvc, "spike"]].sort());

    // Idempotent: a second run the same day records and sends nothing.
    const second = await call(`Bearer ${CRON}`);
    expect(await second.json()).toMatchObject({ forecastAlerts: 0, spikeAlerts: 0, delivery: { claimed: 0 } });
    expect(received).toHaveLength(2);
  });
});
