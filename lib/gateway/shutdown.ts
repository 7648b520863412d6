import { errorMessage } from "@/lib/errors";
import type { Server } from "node:http";
import net from "node:net";
import { z } from "zod";
import { closePools } from "@/lib/providers/http/pool";
import { inFlight, startDraining, whenIdle } from "./drain";
import { getRecorder, serverOwnsShutdown } from "./recorder/instance";

/**
 * Graceful shutdown of the long-running server (`npm start`, server.ts). On SIGTERM or SIGINT:
 *   1. drain: mark the instance draining (readiness answers 503), stop accepting connections,
 *      serve what still arrives on open keep-alive connections with `connection: close`, let the
 *      calls in flight, JSON and streams, finish, then close the connections left idle;
 *   2. after SHUTDOWN_GRACE_MS (default 25 s) at most, end what is still running: the client
 *      sockets close, which aborts their upstream calls, recorded as `cancelled`;
 *   3. close the upstream pools, then the recorder (flush to the database, or the spool);
 *   4. exit.
 * The server owns this order, so the recorder's own signal hooks stand aside (serverOwnsShutdown);
 * its exit hook still spools whatever is left in memory. A second signal skips the rest of the grace.
 */

const graceEnv = z.object({
  SHUTDOWN_GRACE_MS: z.coerce
    .number({ message: "must be a number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be at least 0")
    .max(600_000, "must be at most 600000 (10 minutes)")
    .default(25_000),
});

/** SHUTDOWN_GRACE_MS, validated (read here rather than in lib/env.ts, which another area owns). */
export function shutdownGraceMs(source: Record<string, string | undefined> = process.env): number {
  const parsed = graceEnv.safeParse({ SHUTDOWN_GRACE_MS: source.SHUTDOWN_GRACE_MS?.trim() || undefined });
  if (!parsed.success) throw new Error(`SHUTDOWN_GRACE_MS ${parsed.error.issues[0]?.message ?? "is invalid"} (got "${source.SHUTDOWN_GRACE_MS}")`);
  return parsed.data.SHUTDOWN_GRACE_MS;
}

export interface GracefulShutdownOptions {
  graceMs: number;
  /** How long the recorder's close() may take before what is left is spooled synchronously. */
  recorderCloseMs?: number;
  log?: (message: string) => void;
  exit?: (code: number) => void;
}

const SWEEP_MS = 50;
const LINGER_MS = 250;
const AFTER_GRACE_MS = 5_000;

const sleep = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms));

export function installGracefulShutdown(server: Server, options: GracefulShutdownOptions): void {
  const log = options.log ?? ((message: string) => console.log(`[shutdown] ${message}`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  serverOwnsShutdown();
  let stopping = false;
  let hurry: () => void = () => undefined;
  const hurried = new Promise<"hurry">((resolve) => (hurry = () => resolve("hurry")));

  async function shutdown(signal: NodeJS.Signals): Promise<number> {
    startDraining();
    log(`${signal}: draining ${inFlight()} request(s) in flight, for up to ${options.graceMs} ms`);
    // Stop listening (new connections go to the other instances) but leave idle keep-alive
    // connections open for now: http.Server#close() would close them at once, racing a request
    // the client is sending on one, which then sees a reset and no answer. A request arriving on
    // one is served with `connection: close` (node-adapter.ts).
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    let sweep: NodeJS.Timeout | undefined;
    const drained = (async () => {
      await whenIdle();
      // Clients that were between two requests send the next one now; after a short linger the
      // connections still idle are closed (and each one that turns idle after its last response).
      await sleep(LINGER_MS);
      server.closeIdleConnections();
      sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS).unref();
      await Promise.all([closed, whenIdle()]);
      clearInterval(sweep);
      return "drained" as const;
    })();
    const outcome = await Promise.race([drained, sleep(options.graceMs), hurried]);
    if (outcome !== "drained") {
      log(`ending ${inFlight()} request(s) still in flight (their attempts are recorded as cancelled)`);
      server.closeAllConnections();
      await Promise.race([whenIdle(), sleep(AFTER_GRACE_MS)]);
    }
    clearInterval(sweep);
    await closePools().catch((err: unknown) => log(`closing upstream pools failed: ${errorMessage(err)}`));
    const recorder = getRecorder();
    const recorded = await Promise.race([
      recorder.close().then(() => "closed" as const, () => "failed" as const),
      sleep(options.recorderCloseMs ?? 10_000),
    ]);
    if (recorded !== "closed") {
      const rescued = recorder.spoolSync();
      log(`recorder did not close (${recorded}); ${rescued} record(s) written to the spool for replay`);
      return 1;
    }
    log("drained; records flushed");
    return 0;
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: not waiting for the grace period`);
      hurry();
      return;
    }
    stopping = true;
    void shutdown(signal).then(exit, (err: unknown) => {
      log(`shutdown failed: ${errorMessage(err)}`);
      exit(1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
