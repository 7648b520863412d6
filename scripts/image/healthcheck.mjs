// The image's HEALTHCHECK: exit 0 when this instance is ready (GET /api/llm/health/ready answers
// 200), 1 otherwise (503 while starting, draining or unable to record calls; no answer in 4 s).
// Falls back to /api/llm/health (whose status is the readiness status) on servers without the probe.
const port = process.env.PORT || "3000";
const base = `http://127.0.0.1:${port}/api/llm/health`;
async function status(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  await res.body?.cancel();
  return res.status;
}
try {
  let code = await status(`${base}/ready`);
  if (code === 404) code = await status(base);
  process.exit(code === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
