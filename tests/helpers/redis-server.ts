import { spawn, type ChildProcess } from "node:child_process";
import { createClient } from "redis";

/**
 * A throwaway redis-server on a loopback port for one test file (no persistence), stopped by its
 * PID. Ready when it answers PING (bounded wait).
 */
export interface RedisServer {
  url: string;
  close(): Promise<void>;
}

export async function startRedis(port: number): Promise<RedisServer> {
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.close();
      break;
    } catch (err) {
      await client.close().catch(() => undefined);
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`redis-server on port ${port} did not start: ${String(err)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
