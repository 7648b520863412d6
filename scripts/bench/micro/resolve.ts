/**
 * resolve() throughput on a snapshot of a few hundred rows. Run: `npx tsx scripts/bench/micro/resolve.ts`.
 * A benchmark, not a test: it prints numbers and asserts nothing (timed assertions are flaky).
 */
import { classifyQuery } from "@/lib/engine/classify";
import { priceCall } from "@/lib/engine/price";
import { resolveRoute } from "@/lib/engine/resolve";
import { buildSnapshot } from "@/lib/engine/snapshot";
import { demoSnapshotData, id, rule, setting, T_NOW } from "@/tests/helpers/engine/snapshot";
import type { RouteRequest } from "@/lib/engine/types";

const APPS = 5;
const ORGS = 60;
const ACTIONS = ["classify", "summarize", "extract", "answer", "translate", "grade"];

const data = demoSnapshotData();
for (let o = 0; o < ORGS; o++) {
  data.organizations.push({ id: id.org(`org${o}`), slug: `org${o}`, name: `Org ${o}`, tier: "standard", monthlyBudget: "100", budgetCurrency: "USD", budgetPolicy: o % 3 === 0 ? "downgrade" : "alert" });
}
const models = data.models.map((m) => m.modelCode);
const pick = (i: number) => models[i % models.length] ?? "gpt-4o";
for (let a = 0; a < APPS; a++) {
  const app = `app${a}`;
  data.apps.push({ id: id.app(app), code: app, name: app, baselineModelId: id.model("gpt-4o"), legacyModelId: id.model("gpt-4o"), allowExplicitModels: true });
  data.configurations.push(rule(app, null, "*", pick(a), [pick(a + 1), pick(a + 2)], 100));
  ACTIONS.forEach((action, i) => data.configurations.push(rule(app, null, action, pick(a + i), [pick(a + i + 3)], 100)));
  // Client overrides: every org pins two actions of every app (~600 rules in all).
  for (let o = 0; o < ORGS; o++) {
    data.configurations.push(rule(app, `org${o}`, ACTIONS[o % ACTIONS.length] ?? "*", pick(o), [pick(o + 1)], 200));
    data.configurations.push(rule(app, `org${o}`, ACTIONS[(o + 1) % ACTIONS.length] ?? "*", pick(o + 2), [], 150));
  }
  for (const action of ACTIONS) {
    data.overrides.push({ id: `ov:${app}:${action}`, appId: id.app(app), actionType: action, queryPattern: "chat", modelId: id.model(pick(a + 4)), confidence: "high", samples: 50, active: true });
  }
  data.settings.push(setting("routing.enabled", "app", "bool", true, { app }));
}
for (let o = 0; o < ORGS; o++) data.settings.push(setting("confidence_threshold", "organization", "float", 0.9, { org: `org${o}` }));
data.settings.push(setting("routing.global_fallback_model", "global", "string", "gpt-4o-mini"));

const snapshot = buildSnapshot(data);
const rows = data.configurations.length + data.models.length + data.prices.length + data.settings.length + data.overrides.length + data.organizations.length;

const SHORT = "Please summarize the attached inspection report in three bullet points.";
const LONG = `${"De monteur heeft de installatie gecontroleerd en de filters vervangen. ".repeat(40)}\nClassificeer deze werkbon.`;

function requests(queryText: string, budget: boolean): RouteRequest[] {
  const list: RouteRequest[] = [];
  for (let i = 0; i < 256; i++) {
    list.push({
      appId: id.app(`app${i % APPS}`),
      organizationId: i % 7 === 0 ? null : id.org(`org${i % ORGS}`),
      actionType: ACTIONS[i % (ACTIONS.length + 1)] ?? "unmapped_action",
      queryText,
      budget: budget ? { spent: i % 2 ? "95" : "10", estimate: "6" } : null,
      at: T_NOW,
    });
  }
  return list;
}

function bench(name: string, fn: (i: number) => unknown, iterations = 200_000): void {
  for (let i = 0; i < 20_000; i++) fn(i); // warm up the JIT
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < iterations; i++) if (fn(i)) sink++;
  const ns = Number(process.hrtime.bigint() - start);
  const perOp = ns / iterations / 1000;
  console.log(`${name.padEnd(44)} ${Math.round(1e9 / (ns / iterations)).toLocaleString("en-US").padStart(12)} ops/s  ${perOp.toFixed(2).padStart(7)} µs/op  (${sink === iterations ? "ok" : "check"})`);
}

console.log(`snapshot: ${rows} rows (${data.configurations.length} configurations), version ${snapshot.version}`);
bench("buildSnapshot", () => buildSnapshot(data), 2_000);
for (const [label, text] of [["short query", SHORT], ["1.5 KB query", LONG]] as const) {
  const plain = requests(text, false);
  const withBudget = requests(text, true);
  bench(`resolveRoute, ${label}`, (i) => resolveRoute(snapshot, plain[i & 255] as RouteRequest));
  bench(`resolveRoute + budget, ${label}`, (i) => resolveRoute(snapshot, withBudget[i & 255] as RouteRequest));
  bench(`classifyQuery alone, ${label}`, () => classifyQuery(text));
}
const usage = { promptTokens: 1234, completionTokens: 567, cachedTokens: 200, reasoningTokens: null, totalTokens: 1801 };
bench("priceCall (database row)", () => priceCall({ snapshot, modelId: id.model("gpt-4o"), modelCode: "gpt-4o", usage, at: T_NOW }));
bench("priceCall (fallback table)", () => priceCall({ snapshot, modelId: id.model("gemini-2.5-flash"), modelCode: "gemini-2.5-flash", usage, at: T_NOW }));
