/**
 * The Costs page's server render for `npm run bench:dashboard`: the production build
 * (.next/llmcp-server.mjs, built with `npm run build` when missing or BENCH_BUILD=1) on the bench
 * database, signed in with a real local session (the token createSessionToken makes at sign-in,
 * signed with this instance's key), timing full HTML responses of GET /costs?….
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createSessionToken } from "@/lib/auth/local-session";
import { SESSION_COOKIE } from "@/lib/auth/local-session-cookie";
import type { Ctx } from "./dashboard-measure";
import { stats, type Stats } from "./dashboard-timing";

export interface RenderResult {
  path: string;
  who: string;
  bytes: number;
  stats: Stats;
}

const SERVER = ".next/llmcp-server.mjs";

function runToEnd(cmd: string, args: string[], logFile: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, "w");
    const child = spawn(cmd, args, { stdio: ["ignore", out, out] });
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      fs.closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}); see ${logFile}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitHealthy(base: string, child: ChildProcess, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      const res = await fetch(`${base}/api/llm/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer ${base}/api/llm/health within ${seconds} s`);
}

export async function measureRender(o: { url: string; ctx: Ctx; iterations: number; warmups: number; log: (line: string) => void }): Promise<RenderResult[]> {
  if (process.env.BENCH_BUILD === "1" || !fs.existsSync(SERVER)) {
    o.log("building the production server (npm run build; log in bench-results/build.log)");
    fs.mkdirSync("bench-results", { recursive: true });
    await runToEnd("npm", ["run", "build"], "bench-results/build.log", 1_200_000);
  }
  const port = Number(process.env.BENCH_PORT ?? 3410);
  const base = `http://127.0.0.1:${port}`;
  const logFile = "bench-results/render-server.log";
  fs.mkdirSync("bench-results", { recursive: true });
  const out = fs.openSync(logFile, "w");
  const child = spawn("node", [SERVER], {
    stdio: ["ignore", out, out],
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", DATABASE_URL: o.url, DEMO_SEED: "false" },
  });
  try {
    await waitHealthy(base, child, 120);
    o.log(`production server on ${base} (pid ${child.pid})`);
    const results: RenderResult[] = [];
    const c = o.ctx;
    const pages: { who: "admin" | "finance"; path: string }[] = [
      { who: "admin", path: `/costs?from=${c.since(30)}&to=${c.today}` },
      { who: "admin", path: `/costs?from=${c.since(93)}&to=${c.today}` },
      { who: "finance", path: `/costs?from=${c.since(30)}&to=${c.today}` },
      { who: "finance", path: `/costs?from=${c.since(93)}&to=${c.today}` },
    ];
    for (const page of pages) {
      const email = c.claims[page.who].email ?? "";
      const { token } = await createSessionToken({ id: c.claims[page.who].sub, email });
      const get = async () => {
        const res = await fetch(`${base}${page.path}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${page.path} as ${page.who}: HTTP ${res.status}`);
        if (!body.includes("Export CSV")) throw new Error(`GET ${page.path} as ${page.who}: not the Costs page`);
        return body.length;
      };
      for (let i = 0; i < o.warmups; i++) await get();
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < o.iterations; i++) {
        const t0 = performance.now();
        bytes = await get();
        ms.push(performance.now() - t0);
      }
      const r = { path: page.path, who: page.who, bytes, stats: stats(ms) };
      results.push(r);
      o.log(`render GET ${r.path} [${r.who}]: p50 ${r.stats.p50} / p95 ${r.stats.p95} ms (${bytes} bytes)`);
    }
    return results;
  } finally {
    await stopChild(child);
    fs.closeSync(out);
  }
}
