/**
 * `bench:faults` items 12–14 (issue 9, "edges"): a malformed Host header and unknown routes under
 * /api/llm, a client that leaves mid-call, and /api/metrics in production (access and
 * `promtool check metrics`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { chat, ledgerRows, countBy, fmtCounts, request, row, sleep, statusOf, type Ctx, type Row, type Scenario } from "./harness";
import type { World } from "./seed";

/** Sends raw bytes and returns the status line, or null when nothing came back within `waitMs`. */
function raw(port: number, text: string, waitMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    let data = "";
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(data ? (data.split("\r\n", 1)[0] ?? "") : null);
    };
    const timer = setTimeout(finish, waitMs);
    sock.on("data", (d: Buffer) => {
      data += d.toString("latin1");
      if (data.includes("\r\n")) finish();
    });
    sock.on("error", finish);
    sock.on("close", finish);
    sock.write(text);
  });
}

const s12: Scenario<World> = {
  item: 12,
  title: "malformed Host, unknown routes",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    w.upstreams["f-plain"]!.reset();
    const s = await ctx.startServer("s12");
    const body = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }] });
    const req =
      `POST /api/llm/v1/chat/completions HTTP/1.1\r\nHost: a b\r\nAuthorization: Bearer ${w.keys.f12}\r\nX-LLM-Action: bench\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    const line = await raw(s.port, req, 5_000);
    const alive = s.alive && (await s.health()) !== null;
    const status = line ? Number(line.split(" ")[1]) : null;
    const rows = [row(12, "POST with `Host: a b` → answered within 5 s? status", "400", `${line ?? "no answer"}; server ${alive ? "alive" : "down"}`, status === 400 && alive)];
    const probes: [string, string][] = [
      ["GET", "/api/llm/nope"],
      ["POST", "/api/llm/v1/nope"],
      ["GET", "/api/llm/v1/chat/completions"],
      ["DELETE", "/api/llm/feedback"],
    ];
    for (const [method, p] of probes) {
      const r = await request({ port: s.port, method, path: p, headers: { authorization: `Bearer ${w.keys.f12}` }, timeoutMs: 10_000 });
      const ct = String(r.headers["content-type"] ?? "none");
      let shaped = false;
      try {
        const j = JSON.parse(r.body) as { error?: { message?: unknown; type?: unknown } };
        shaped = typeof j.error?.message === "string" && typeof j.error.type === "string";
      } catch {
        shaped = false;
      }
      const measured = `${statusOf(r)}, ${ct.split(";")[0]}${shaped ? ", OpenAI error shape" : `, body ${r.body.length} bytes${r.body.startsWith("<") ? " HTML" : ""}`}`;
      rows.push(row(12, `${method} ${p} → status, content-type`, `${method === "GET" && p.endsWith("completions") ? "405" : method === "DELETE" ? "405" : "404"}, JSON error`, measured, shaped && ct.includes("json") && (r.status === 404 || r.status === 405)));
    }
    return rows;
  },
};

const s13: Scenario<World> = {
  item: 13,
  title: "client disconnects mid-call",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-slow13"]!;
    up.reset({ latencyMs: 4_000 });
    const s = await ctx.startServer("s13");
    await s.drained(10_000);
    const before = new Set((await ledgerRows(ctx.db, w.orgs.f13!)).map((r) => r.request_id));
    const r = await chat(s.port, w.keys.f13!, {}, { abortAfterMs: 500, timeoutMs: 10_000 });
    const t0 = Date.now();
    while (Date.now() - t0 < 8_000 && up.aborted + up.answered === 0) await sleep(50);
    const abortedAfter = up.aborted > 0 ? `${((Date.now() - t0 + 500) / 1000).toFixed(1)} s` : "";
    await sleep(500);
    await s.drained(15_000);
    await sleep(1_200);
    const fresh = (await ledgerRows(ctx.db, w.orgs.f13!)).filter((x) => !before.has(x.request_id));
    const types = fmtCounts(countBy(fresh, (x) => `${x.status}/${x.error_type ?? "-"}`));
    return [
      row(13, "client leaves after 0.5 s of a 4 s non-streamed call → upstream request aborted?", "yes", up.aborted > 0 ? `yes (${abortedAfter})` : `no (upstream answered ${up.answered}; client ${statusOf(r)})`, up.aborted > 0),
      row(13, "attempt recorded?", "yes (failed, cancelled)", fresh.length ? `yes: ${types}` : "no row", fresh.some((x) => x.error_type === "cancelled")),
    ];
  },
};

function promtool(text: string, file: string): { code: number | null; out: string } {
  fs.writeFileSync(file, text);
  const bin = fs.existsSync("/usr/bin/promtool") ? "/usr/bin/promtool" : "promtool";
  const r = spawnSync(bin, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  if (r.error) return { code: null, out: r.error.message };
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

const s14: Scenario<World> = {
  item: 14,
  title: "/api/metrics in production",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    w.upstreams["f-plain"]!.reset();
    const rows: Row[] = [];
    const open = await ctx.startServer("s14-default", { METRICS_TOKEN: undefined, METRICS_PUBLIC: undefined });
    const anon = await request({ port: open.port, method: "GET", path: "/api/metrics" });
    const leaks = anon.status === 200 && anon.body.includes("organization");
    rows.push(row(14, "GET /api/metrics without a token, NODE_ENV=production, METRICS_TOKEN and METRICS_PUBLIC unset → status", "refused: 401/403, no series", `${statusOf(anon)}${leaks ? " (per-organization series exposed)" : ""}`, (anon.status === 401 || anon.status === 403) && !leaks));
    await open.stop();
    const token = "faults-metrics-token";
    const s = await ctx.startServer("s14-token", { METRICS_TOKEN: token });
    await chat(s.port, w.keys.f12!);
    const noTok = await request({ port: s.port, method: "GET", path: "/api/metrics" });
    const m = await request({ port: s.port, method: "GET", path: "/api/metrics", headers: { authorization: `Bearer ${token}` } });
    rows.push(row(14, "METRICS_TOKEN set: without it / with it → statuses", "401 / 200", `${statusOf(noTok)} / ${statusOf(m)}`, noTok.status === 401 && m.status === 200));
    if (m.status !== 200) {
      rows.push(row(14, "promtool check metrics", "exit 0", `no exposition (${statusOf(m)})`, false));
      return rows;
    }
    const check = promtool(m.body, path.join(ctx.work, "metrics.txt"));
    const problems = check.out.split("\n").filter(Boolean);
    const shown = problems.slice(0, 3).join(" | ") + (problems.length > 3 ? ` | … ${problems.length - 3} more` : "");
    rows.push(row(14, "promtool check metrics on the exposition", "exit 0, no problems", `exit ${check.code ?? "n/a"}${shown ? `: ${shown}` : ""}`, check.code === 0 && problems.length === 0));
    return rows;
  },
};

export const EDGE_SCENARIOS = [s12, s13, s14];
