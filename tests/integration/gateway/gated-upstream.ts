import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible upstream on 127.0.0.1 that holds every chat request until the test
 * releases it (and can hold again), counting arrivals: the budget tests take every admission
 * decision while the other calls are in flight. Plus `until`, a bounded wait for a condition.
 * Free of vitest imports.
 */
export interface GatedUpstream {
  origin: string;
  /** Requests received so far (held or answered). */
  arrived: number;
  /** Answers every held request, and from now on answers at once. */
  release(): void;
  /** From now on holds requests again. */
  hold(): void;
  close(): Promise<void>;
}

export async function startGatedUpstream(): Promise<GatedUpstream> {
  const held: http.ServerResponse[] = [];
  let open = false;
  const answer = (res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      id: "chatcmpl-gated", object: "chat.completion", created: 1, model: "primary-model",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    }));
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      gate.arrived += 1;
      if (open) answer(res);
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const gate: GatedUpstream = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: 0,
    release() {
      open = true;
      for (const res of held.splice(0)) answer(res);
    },
    hold() {
      open = false;
    },
    async close() {
      gate.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gate;
}

/** Polls `cond` every 20 ms until it holds; throws naming `what` after `limitMs`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
