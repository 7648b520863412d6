/**
 * Production server (`npm start`): Next.js for the dashboard, plus the gateway's hot routes served
 * straight from node:http, so an LLM call does not pay for Next's request pipeline (a bare Next
 * route handler tops out below the Portkey gateway on this class of machine; see README
 * "Performance"). The gateway code is the same module the Next route handlers use; state (config
 * cache, recorder, metrics, database) lives on globalThis, so both share one instance per process.
 * `npm run dev` and Vercel serve the same routes through app/api route handlers instead.
 */
import http from "node:http";
import next from "next";
import { handleNode } from "@/lib/gateway/node-adapter";
import { installGracefulShutdown, shutdownGraceMs } from "@/lib/gateway/shutdown";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
const dev = process.env.NODE_ENV === "development";

async function main() {
  const graceMs = shutdownGraceMs(); // validated before anything starts
  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    req.headers["x-llmcp-client-address"] = req.socket.remoteAddress ?? "unknown"; // overwrites any client-sent value; read by sign-in (lib/auth/client-address.ts)
    if (handleNode(req, res)) return;
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.on("error", (err) => {
    console.error(`server error: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, hostname, () => {
    console.log(`▲ LLM Control Plane ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (gateway routes on node:http)`);
  });
  // SIGTERM/SIGINT: drain in-flight calls (up to SHUTDOWN_GRACE_MS), then flush the recorder, then exit.
  installGracefulShutdown(server, { graceMs });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
