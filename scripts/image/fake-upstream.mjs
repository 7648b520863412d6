// A tiny OpenAI-compatible upstream for the image smoke test (scripts/image/smoke.sh): POST
// …/chat/completions answers one fixed completion with fixed usage (12 prompt + 5 completion
// tokens, so the ledger's cost is known exactly), after 3 s when the last message says "slow" (a
// call in flight while the container gets SIGTERM); GET /count: {received, served}.
// Loopback only. Usage: node scripts/image/fake-upstream.mjs <port>
import http from "node:http";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error("usage: node scripts/image/fake-upstream.mjs <port>");
let served = 0;
let received = 0;
const server = http.createServer((req, res) => {
  if (req.method === "POST") received += 1;
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method === "GET" && req.url === "/count") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received, served }));
      return;
    }
    if (req.method === "POST" && req.url?.endsWith("/chat/completions")) {
      let body = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { /* answer anyway */ }
      const model = body.model ?? "gpt-4o-mini";
      const slow = body.messages?.at(-1)?.content === "slow";
      setTimeout(() => {
        served += 1;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          id: `chatcmpl-smoke-${served}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
          choices: [{ index: 0, message: { role: "assistant", content: "smoke ok" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
        }));
      }, slow ? 3000 : 0);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
  });
});
server.listen(port, "127.0.0.1", () => console.log(`fake upstream on http://127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
