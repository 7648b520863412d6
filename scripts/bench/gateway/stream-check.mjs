#!/usr/bin/env node
/**
 * Streaming check of `bench:gateway`: N sequential `"stream": true` chat completions over one
 * keep-alive connection (after one uncounted warm-up). Each stream must be valid SSE with the mock's
 * text, a usage chunk and `[DONE]`. Prints one STREAM line with time to headers, to the first
 * `data:` chunk and to the end (p50/min/max ms); exit 0 only when every stream was valid.
 *
 * Usage: node scripts/bench/gateway/stream-check.mjs <url> [n=20] [label] [-H 'name: value']...
 */
import http from "node:http";

const EXPECTED = "Hello! This is a mock reply.";
const headers = { "content-type": "application/json" };
const positional = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] !== "-H") {
    positional.push(argv[i]);
    continue;
  }
  const h = argv[++i] ?? "";
  const colon = h.indexOf(":");
  if (colon > 0) headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
}
const url = new URL(positional[0] ?? "http://127.0.0.1:9001/v1/chat/completions");
const n = Math.max(1, Number(positional[1] ?? 20));
const label = positional[2] ?? url.host;
const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Say hello." }] });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Parses an SSE body: the text of the deltas, the usage, [DONE], unparsable events. */
function parse(raw) {
  const out = { text: "", usage: null, done: false, bad: 0, events: 0 };
  for (const event of raw.split("\n\n").map((s) => s.trim()).filter(Boolean)) {
    out.events += 1;
    if (!event.startsWith("data:")) continue;
    const data = event.slice(5).trim();
    if (data === "[DONE]") {
      out.done = true;
      continue;
    }
    try {
      const j = JSON.parse(data);
      if (j.usage) out.usage = j.usage;
      for (const c of j.choices ?? []) out.text += c.delta?.content ?? "";
    } catch {
      out.bad += 1;
    }
  }
  return out;
}

function once() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const since = () => performance.now() - t0;
    const req = http.request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const headersMs = since();
      let firstMs = null;
      let raw = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        if (firstMs === null && d.includes("data:")) firstMs = since();
        raw += d;
      });
      res.on("end", () => {
        const p = parse(raw);
        const ok = res.statusCode === 200 && p.done && p.usage !== null && p.text === EXPECTED && p.bad === 0;
        resolve({ status: res.statusCode, ok, headersMs, firstMs, totalMs: since(), usage: p.usage, events: p.events, sample: ok ? "" : raw.slice(0, 300) });
      });
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

const stats = (values) => {
  const v = values.filter((x) => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return "n/a";
  const p50 = v[Math.max(0, Math.ceil(v.length / 2) - 1)];
  return `${p50.toFixed(2)}/${v[0].toFixed(2)}/${v.at(-1).toFixed(2)}`;
};

try {
  await once(); // warm-up: connection and JIT, not counted
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await once());
  const ok = runs.filter((r) => r.ok).length;
  console.log(
    `STREAM label=${label} ok=${ok}/${n} status=${runs[0].status} events=${runs[0].events} usage=${JSON.stringify(runs[0].usage)} ` +
      `headers_ms(p50/min/max)=${stats(runs.map((r) => r.headersMs))} first_chunk_ms=${stats(runs.map((r) => r.firstMs))} total_ms=${stats(runs.map((r) => r.totalMs))}`,
  );
  if (ok !== n) console.log("first failure:", JSON.stringify(runs.find((r) => !r.ok)));
  agent.destroy();
  process.exit(ok === n ? 0 : 1);
} catch (err) {
  console.error("STREAM error", err instanceof Error ? err.message : String(err));
  agent.destroy();
  process.exit(2);
}
