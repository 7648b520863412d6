/**
 * `bench:faults` items 1–6 (issue 9, "one tenant must not hurt the others"): local errors and the
 * provider circuit, the half-open trial, feedback counted once, billing fields, default key
 * limits and Retry-After, upstream 429s and refused calls in the ledger.
 */
import { chat, chatHeaders, countBy, fmtCounts, ledgerRows, pool, request, row, sleep, statusOf, type Ctx, type Row, type Scenario } from "./harness";
import type { World } from "./seed";

/** Settings' defaults named in the team notes (gateway.default_*). */
const DEFAULT_RATE_LIMIT = 600;
const DEFAULT_MAX_CONCURRENT = 20;

const s1: Scenario<World> = {
  item: 1,
  title: "deep-nested body vs another tenant",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-shared"]!;
    up.reset();
    const s = await ctx.startServer("s1");
    const depth = 200_000;
    const body = `{"model":"auto","messages":[{"role":"user","content":"hi"}],"max_tokens":20,"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await request({ port: s.port, path: "/api/llm/v1/chat/completions", headers: chatHeaders(w.keys["f1-attacker"]!), body, timeoutMs: 30_000 });
      statuses.push(statusOf(r));
    }
    const victim = await chat(s.port, w.keys["f1-victim"]!);
    const circuit = await s.circuit("f-shared");
    return [
      row(1, `10 bodies nested ${depth.toLocaleString("en")} deep (${Math.round(body.length / 1024)} KB) → statuses`, "400 ×10", fmtCounts(countBy(statuses, (x) => x)), statuses.every((x) => x === "400")),
      row(1, "then another tenant's call on the same provider → status", "200 (circuit closed)", `${statusOf(victim)} (circuit ${circuit ?? "?"})`, victim.status === 200),
    ];
  },
};

const s2: Scenario<World> = {
  item: 2,
  title: "half-open trial ends in a 400",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-trial"]!;
    up.reset({ status: 500 });
    const s = await ctx.startServer("s2");
    const key = w.keys.f2!;
    for (let i = 0; i < 8 && (await s.circuit("f-trial")) !== "open"; i++) await chat(s.port, key);
    const opened = await s.circuit("f-trial");
    if (opened !== "open") return [row(2, "circuit after 8 upstream 500s", "open", `${opened}`, false)];
    // Wait (bounded) for the cooldown to end: today 30 s, fixed in code.
    const t0 = Date.now();
    while (Date.now() - t0 < 45_000 && (await s.circuit("f-trial")) === "open") await sleep(250);
    const waited = ((Date.now() - t0) / 1000).toFixed(1);
    up.mode = { latencyMs: 0 };
    up.queue = [{ latencyMs: 0, status: 400 }];
    const trial = await chat(s.port, key);
    const before = up.received;
    const window = 5_000;
    const statuses: string[] = [];
    const start = Date.now();
    while (Date.now() - start < window) {
      statuses.push(statusOf(await chat(s.port, key, {}, { timeoutMs: 5_000 })));
      await sleep(200);
    }
    const reached = up.received - before;
    return [
      row(
        2,
        `trial (after ${waited} s cooldown) answered 400 by the provider, then ${statuses.length} calls over ${window / 1000} s → calls reaching the recovered provider`,
        "> 0 (every trial outcome releases the trial)",
        `${reached} reached it; trial ${statusOf(trial)}; client ${fmtCounts(countBy(statuses, (x) => x))}; circuit ${await s.circuit("f-trial")}`,
        reached > 0,
      ),
    ];
  },
};

const s3: Scenario<World> = {
  item: 3,
  title: "feedback counted once per request",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const s = await ctx.startServer("s3");
    const call = await chat(s.port, w.keys.f3!);
    const requestId = String(call.headers["x-request-id"] ?? "");
    if (call.status !== 200 || !requestId) return [row(3, "a mock-model call to give feedback on", "200 with x-request-id", `${statusOf(call)} ${call.body.slice(0, 120)}`, false)];
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await request({
        port: s.port,
        path: "/api/llm/feedback",
        headers: { authorization: `Bearer ${w.keys.f3}` },
        body: JSON.stringify({ request_id: requestId, quality_score: 5, is_correct: true }),
      });
      statuses.push(statusOf(r));
    }
    const [{ n } = { n: -1 }] = await ctx.db.query<{ n: number }>("select count(*)::int as n from production_feedback where request_id = $1", [requestId]);
    return [row(3, "10 feedback posts for one request → rows stored", "1", `${n} (statuses ${fmtCounts(countBy(statuses, (x) => x))})`, n === 1)];
  },
};

const s4: Scenario<World> = {
  item: 4,
  title: "billing fields outside the price table",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-plain"]!;
    up.reset();
    const s = await ctx.startServer("s4");
    const rows: Row[] = [];
    const cases: [string, string, Record<string, unknown>, boolean][] = [
      ["f4", 'service_tier: "priority"', { service_tier: "priority" }, false],
      ["f4", "store: true", { store: true }, false],
      ["f4-allowed", 'service_tier: "priority" where gateway.allowed_billing_fields allows it', { service_tier: "priority" }, true],
    ];
    for (const [key, label, extra, allowed] of cases) {
      up.seen = [];
      const r = await chat(s.port, w.keys[key]!, extra);
      const field = Object.keys(extra)[0]!;
      const forwarded = up.seen.some((x) => field in x.body);
      const names = r.status === 400 && r.body.includes(field);
      const why = r.status === 400 ? (names ? ` naming ${field}` : `: ${r.body.slice(0, 100)}`) : "";
      const measured = `${statusOf(r)}${why}${forwarded ? ` (${field} sent upstream)` : ""}`;
      rows.push(row(4, `${label} → status`, allowed ? "200, field forwarded" : `400 naming ${field}`, measured, allowed ? r.status === 200 && forwarded : names && !forwarded));
    }
    return rows;
  },
};

const s5: Scenario<World> = {
  item: 5,
  title: "default key limits and Retry-After",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    w.upstreams["f-plain"]!.reset();
    const slow = w.upstreams["f-slow5"]!;
    slow.reset({ latencyMs: 500 });
    const s = await ctx.startServer("s5");
    const rows: Row[] = [];
    // Burst on a key whose rate_limit_per_minute is null.
    const burst = DEFAULT_RATE_LIMIT + 100;
    const results = await pool(burst, 10, 60_000, () => chat(s.port, w.keys["f5-null"]!, {}, { timeoutMs: 10_000 }));
    const c = countBy(results, statusOf);
    const admitted = c["200"] ?? 0;
    rows.push(row(5, `burst of ${burst} on a key with rate_limit_per_minute null → admitted`, `≤ ${DEFAULT_RATE_LIMIT} (gateway.default_rate_limit_per_minute)`, `${admitted} (${fmtCounts(c)})`, admitted <= DEFAULT_RATE_LIMIT));
    // Concurrency: 40 at once on a 500 ms upstream, same kind of key.
    const conc = await pool(40, 40, 30_000, () => chat(s.port, w.keys["f5-null-conc"]!, {}, { timeoutMs: 10_000 }));
    rows.push(
      row(
        5,
        "40 concurrent calls on one key (500 ms upstream) → peak calls in flight upstream",
        `≤ ${DEFAULT_MAX_CONCURRENT} (gateway.default_max_concurrent_per_key)`,
        `${slow.peakInFlight} (${fmtCounts(countBy(conc, statusOf))})`,
        slow.peakInFlight <= DEFAULT_MAX_CONCURRENT,
      ),
    );
    // Retry-After: limit 5/min; the 6th is refused; wait what it says, then retry.
    const key = w.keys["f5-five"]!;
    let refused = null;
    for (let i = 0; i < 8 && !refused; i++) {
      const r = await chat(s.port, key);
      if (r.status === 429) refused = r;
    }
    if (!refused) {
      rows.push(row(5, "key limited to 5/min: a refusal with Retry-After", "429 + retry-after", "no 429 in 8 calls", false));
      return rows;
    }
    const told = Number(refused.headers["retry-after"]);
    if (!Number.isFinite(told) || told > 70) {
      rows.push(row(5, "wait the Retry-After told, then retry → admitted", "200", `retry-after ${String(refused.headers["retry-after"])} (not waited)`, false));
      return rows;
    }
    ctx.log(`item 5: waiting the ${told} s Retry-After`);
    await sleep(told * 1000 + 200);
    const retry = await chat(s.port, key);
    const again = retry.status === 429 ? `, retry-after ${String(retry.headers["retry-after"])}` : "";
    rows.push(row(5, "key limited to 5/min: wait the Retry-After told, then retry → status", "200", `told ${told} s → ${statusOf(retry)}${again}`, retry.status === 200));
    return rows;
  },
};

const s6: Scenario<World> = {
  item: 6,
  title: "upstream 429s; every circuit open",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const [a, b, d1, d2] = ["f-r429a", "f-r429b", "f-dead1", "f-dead2"].map((c) => w.upstreams[c]!);
    a!.reset({ status: 429, retryAfter: 2 });
    b!.reset({ status: 429, retryAfter: 5 });
    d1!.reset({ status: 500 });
    d2!.reset({ status: 500 });
    const s = await ctx.startServer("s6");
    const rows: Row[] = [];
    const r = await chat(s.port, w.keys.f6!, {}, { timeoutMs: 60_000 });
    const ra = r.headers["retry-after"];
    rows.push(
      row(
        6,
        "primary 429 (retry-after 2) and fallback 429 (retry-after 5) → status, latency, retry-after",
        "429, retry-after 5",
        `${statusOf(r)} in ${(r.ms / 1000).toFixed(2)} s, retry-after ${ra ?? "none"} (${a!.received + b!.received} upstream attempts)`,
        r.status === 429 && Number(ra) >= 5,
      ),
    );
    const key = w.keys["f6-open"]!;
    for (let i = 0; i < 10; i++) {
      const [c1, c2] = [await s.circuit("f-dead1"), await s.circuit("f-dead2")];
      if (c1 === "open" && c2 === "open") break;
      await chat(s.port, key);
    }
    const states = `${await s.circuit("f-dead1")}/${await s.circuit("f-dead2")}`;
    await sleep(300);
    await s.drained(20_000);
    const before = await ledgerRows(ctx.db, w.orgs["f6-open"]!);
    const sent = d1!.received + d2!.received;
    const refused = await chat(s.port, key);
    await sleep(300);
    await s.drained(20_000);
    await sleep(1_200);
    const after = await ledgerRows(ctx.db, w.orgs["f6-open"]!);
    const seen = new Set(before.map((x) => `${x.request_id}`));
    const fresh = after.filter((x) => !seen.has(x.request_id));
    const types = fmtCounts(countBy(fresh, (x) => `${x.status}/${x.error_type ?? "-"}`));
    rows.push(
      row(
        6,
        `every circuit open (${states}) → status and llm_calls rows for the refused call`,
        "503 + 1 row (failed, circuit_open)",
        `${statusOf(refused)}, ${fresh.length} row(s) ${fresh.length ? types : ""}; upstream attempts ${d1!.received + d2!.received - sent}`,
        refused.status === 503 && fresh.length >= 1,
      ),
    );
    return rows;
  },
};

export const TENANT_SCENARIOS = [s1, s2, s3, s4, s5, s6];
