import { errorMessage } from "@/lib/errors";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { serviceDb } from "@/lib/db/service";
import { claimSpoolDir, defaultInstanceId, type SpoolClaim } from "./claim";
import { createRecorder, type Recorder } from "./recorder";
import { installShutdownHooks } from "./shutdown";

/**
 * The process-wide recorder, writing through the service role (it bypasses RLS: the gateway has
 * already scoped every record by the app key). Kept on globalThis so Next's dev server, which
 * re-evaluates modules on every edit, still has exactly one buffer, one spool writer and one set
 * of signal hooks per process.
 *
 * Long-running servers (embedded, server mode, containers): the flush timer and the disk spool
 * do everything; SIGTERM flushes.
 *
 * Serverless (Vercel): an instance can be frozen as soon as the response is sent, timers and all,
 * and its /tmp may vanish with it. A route that records must flush before the invocation ends,
 * inside Next's after() (Vercel's waitUntil), e.g.
 *
 *   import { after } from "next/server";
 *   getRecorder().record(row);
 *   after(() => getRecorder().flush());
 *
 * The node runtime is required (the spool uses node:fs); never the edge runtime.
 */

// Read here rather than in lib/env.ts, which belongs to another area; same rule: validated once.
const spoolEnv = z.object({
  RECORDER_SPOOL_DIR: z.string().min(1).optional(),
  VERCEL: z.string().optional(),
});

export function spoolDirFromEnv(source: Record<string, string | undefined> = process.env): string {
  const env = spoolEnv.parse({ RECORDER_SPOOL_DIR: source.RECORDER_SPOOL_DIR || undefined, VERCEL: source.VERCEL });
  if (env.RECORDER_SPOOL_DIR) return path.resolve(env.RECORDER_SPOOL_DIR);
  // On Vercel only /tmp is writable; the spool there is a best effort between flushes.
  if (env.VERCEL) return path.join(os.tmpdir(), "llmcp-spool");
  return path.resolve(".data/spool");
}

type Holder = { recorder?: Recorder; claim?: SpoolClaim; uninstall?: () => void; serverOwnsSignals?: boolean };
const holder: Holder = ((globalThis as { __llmcpRecorder?: Holder }).__llmcpRecorder ??= {});

function install(recorder: Recorder): () => void {
  // The exit hook (synchronous spool of what is left) always; the signal hooks only when no server
  // owns the shutdown order (drain, then recorder.close(), then exit: lib/gateway/shutdown.ts).
  return installShutdownHooks(recorder, holder.serverOwnsSignals ? { signals: [] } : {});
}

export function getRecorder(): Recorder {
  if (!holder.recorder) {
    // Each instance its own directory under RECORDER_SPOOL_DIR (claim.ts); abandoned ones are adopted.
    const log = (m: string) => console.log(`[recorder] ${m}`);
    const parent = spoolDirFromEnv();
    const instanceId = defaultInstanceId();
    let dir: string;
    try {
      holder.claim = claimSpoolDir(parent, instanceId, log);
      dir = holder.claim.dir;
    } catch (err) {
      // Unusable parent (read-only, full, not a directory): the recorder reports the spool broken and
      // refuses calls it could not account for; its probe retries the directory.
      console.error(`[recorder] cannot claim a spool directory under ${parent}: ${errorMessage(err)}`);
      dir = path.join(parent, instanceId);
    }
    holder.recorder = createRecorder({ getDb: serviceDb, spoolDir: dir });
    holder.uninstall = install(holder.recorder);
  }
  return holder.recorder;
}

/**
 * Called by a server that handles SIGTERM/SIGINT itself and closes the recorder after draining
 * its requests: the recorder then keeps only its exit hook, so it neither flushes early nor
 * re-raises the signal while calls are still finishing.
 */
export function serverOwnsShutdown(): void {
  holder.serverOwnsSignals = true;
  if (holder.recorder) {
    holder.uninstall?.();
    holder.uninstall = install(holder.recorder);
  }
}

/** Closes the singleton (tests, scripts); the next getRecorder() starts a fresh one. */
export async function closeRecorder(): Promise<void> {
  const recorder = holder.recorder;
  const claim = holder.claim;
  holder.recorder = undefined;
  holder.claim = undefined;
  holder.uninstall?.();
  holder.uninstall = undefined;
  await recorder?.close();
  claim?.release();
}
