/**
 * Three production instances (`node .next/llmcp-server.mjs`) on one database for `bench:fleet`,
 * started at once (AUTO_MIGRATE on, each with its own port, RECORDER_SPOOL_DIR and INSTANCE_ID),
 * and a client that spreads calls round-robin over the live ones as a load balancer would: a
 * refused connection or a 503 from a draining instance is sent to the next instance instead.
 */
import { errorMessage } from "@/lib/errors";
import path from "node:path";
import { chat, isReset, Server, sleep, type Res } from "../faults/harness";

export interface FleetOptions {
  /** DATABASE_URL of the instances (PostgreSQL or the pooler). */
  databaseUrl: string;
  /** DIRECT_DATABASE_URL (set when databaseUrl is a pooler). */
  directUrl?: string;
  work: string;
  label: string;
  ports: number[];
}

export class Fleet {
  private next = 0;
  private constructor(
    readonly servers: Server[],
    /** RECORDER_SPOOL_DIR of each server. */
    readonly spoolDirs: string[],
  ) {}

  static async start(o: FleetOptions): Promise<Fleet> {
    const spoolDirs = o.ports.map((_, i) => path.join(o.work, `spool-${o.label}-${i + 1}`));
    const servers = await Promise.allSettled(
      o.ports.map((port, i) =>
        Server.start({
          name: `${o.label}-${i + 1}`,
          port,
          databaseUrl: o.databaseUrl,
          spoolDir: spoolDirs[i]!,
          logDir: o.work,
          env: { AUTO_MIGRATE: "true", INSTANCE_ID: `${o.label}-${i + 1}`, DIRECT_DATABASE_URL: o.directUrl, METRICS_PUBLIC: "true" },
        }),
      ),
    );
    const up = servers.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = servers.flatMap((s) => (s.status === "rejected" ? [errorMessage(s.reason)] : []));
    if (failed.length > 0) {
      for (const s of up) await s.stop("SIGTERM", 10_000).catch(() => undefined);
      throw new Error(`${failed.length} of ${o.ports.length} instances did not start: ${failed[0]!.split("\n")[0]}`);
    }
    return new Fleet(up, spoolDirs);
  }

  get live(): Server[] {
    return this.servers.filter((s) => s.alive);
  }

  /** A chat call on the next live instance; refused connections and 503 go on to the next one. */
  async call(key: string, extra: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Res & { instance: number }> {
    let last: Res | null = null;
    const start = this.next++;
    for (let tries = 0; tries < this.servers.length; tries++) {
      const i = (start + tries) % this.servers.length;
      const s = this.servers[i]!;
      if (!s.alive) continue;
      const r = await chat(s.port, key, extra, { timeoutMs });
      const refused = r.error !== undefined && /ECONNREFUSED/.test(r.error);
      if (!refused && r.status !== 503) return { ...r, instance: i };
      last = r;
    }
    return { ...(last ?? { status: null, headers: {}, body: "", ms: 0, error: "no live instance" }), instance: -1 };
  }

  /** Waits (bounded) until every live instance has nothing pending or spooled. */
  async drained(limitMs = 30_000): Promise<boolean> {
    const r = await Promise.all(this.live.map((s) => s.drained(limitMs)));
    return r.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop("SIGTERM", 15_000).catch(() => undefined)));
  }
}

/** A reset or a timeout mid-call: the request may have been taken and never answered. */
export const midFlight = (r: Res) => isReset(r) || r.error === "TIMEOUT";

/** Polls `check` every `everyMs` until it is true; returns ms until then, or null after `limitMs`. */
export async function until(check: () => Promise<boolean>, limitMs: number, everyMs = 20): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if (await check()) return performance.now() - t0;
    await sleep(everyMs);
  }
  return null;
}
