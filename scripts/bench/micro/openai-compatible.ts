/**
 * Micro-benchmark of the fast path: non-streamed (and streamed) calls per second through the
 * OpenAI-compatible adapter against the zero-latency mock upstream, next to raw undici and
 * global fetch on the same upstream, so adapter overhead is visible apart from HTTP cost.
 *
 *   npx tsx scripts/bench/micro/openai-compatible.ts [--secs 5] [--concurrency 10] [--upstream path/to/mock-upstream.js]
 *
 * The upstream runs in its own process (sharing our event loop would halve both sides).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { closePools, poolFor } from "@/lib/providers/http/pool";
import { openaiCompatibleAdapter } from "@/lib/providers/openai-compatible";
import type { ChatRequest, ProviderTarget } from "@/lib/providers/types";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const SECS = Number(arg("secs", "5"));
const CONCURRENCY = Number(arg("concurrency", "10"));
const UPSTREAM = arg("upstream", "/work/shared/bench/mock-upstream.js");

const REQUEST: ChatRequest = {
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Say hello." },
  ],
  max_tokens: 32,
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startUpstream(port: number): Promise<ChildProcess> {
  if (!fs.existsSync(UPSTREAM)) throw new Error(`mock upstream not found at ${UPSTREAM} (pass --upstream)`);
  const child = spawn(process.execPath, [UPSTREAM, String(port), "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`mock upstream exited with ${code}`)));
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("listening")) resolve();
    });
  });
  return child;
}

interface Result {
  label: string;
  calls: number;
  errors: number;
  perSec: number;
  p50: number;
  p99: number;
  /** Client-side CPU per call: the adapter's own cost, apart from the upstream's. */
  cpuUs: number;
}

async function measure(label: string, secs: number, one: () => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + secs * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await one();
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const cpuUs = (cpu.user + cpu.system) / Math.max(1, latencies.length + errors);
  return { label, calls: latencies.length, errors, perSec: latencies.length / elapsed, p50: pct(50), p99: pct(99), cpuUs };
}

async function main(): Promise<void> {
  const port = await freePort();
  const upstream = await startUpstream(port);
  const origin = `http://127.0.0.1:${port}`;
  const target: ProviderTarget = { kind: "openai_compatible", baseUrl: `${origin}/v1`, apiKey: "sk-bench", modelCode: "gpt-4o-mini", timeoutMs: 10_000 };
  // A signal per call, as the gateway passes each request's own.
  const signal = () => new AbortController().signal;
  const body = JSON.stringify({ ...REQUEST, model: "gpt-4o-mini" });
  const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

  const cases: [string, () => Promise<void>][] = [
    [
      "raw undici pool.request (floor)",
      async () => {
        const res = await poolFor(origin).request({ path: "/v1/chat/completions", method: "POST", headers, body });
        await res.body.text();
      },
    ],
    [
      "global fetch (for comparison)",
      async () => {
        const res = await fetch(`${origin}/v1/chat/completions`, { method: "POST", headers, body });
        await res.json();
      },
    ],
    [
      "adapter.complete() (non-streamed)",
      async () => {
        const res = await openaiCompatibleAdapter.complete(target, REQUEST, signal());
        if (res.usage?.totalTokens !== 21) throw new Error("usage not mapped");
      },
    ],
    [
      "adapter.stream() (streamed, drained)",
      async () => {
        let ended = false;
        for await (const e of openaiCompatibleAdapter.stream(target, REQUEST, signal())) if (e.type === "end") ended = true;
        if (!ended) throw new Error("stream did not end");
      },
    ],
  ];

  try {
    console.log(`mock upstream ${UPSTREAM} on ${origin}; concurrency ${CONCURRENCY}, ${SECS} s per case, Node ${process.version}\n`);
    console.log(
      `${"case".padEnd(40)} ${"calls/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"cpu µs/call".padStart(12)} ${"errors".padStart(7)}`,
    );
    for (const [label, one] of cases) {
      await measure(label, 1, one); // warm-up: connections, JIT
      const r = await measure(label, SECS, one);
      console.log(
        `${r.label.padEnd(40)} ${r.perSec.toFixed(0).padStart(9)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${r.cpuUs.toFixed(1).padStart(12)} ${String(r.errors).padStart(7)}`,
      );
    }
  } finally {
    await closePools();
    upstream.kill("SIGTERM");
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
