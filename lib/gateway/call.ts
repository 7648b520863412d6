import { errorMessage } from "@/lib/errors";
import { randomUUID } from "node:crypto";
import { readNumber } from "@/lib/engine/settings";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { Lease } from "./concurrency";
import { releaseWhenDone } from "./concurrency";
import type { CallContext } from "./context";
import type { GatewayKey } from "./config-cache";
import { errorReply, toGatewayError, type GatewayError } from "./errors";
import { rateLimitHeaders } from "./rate-limit-headers";
import type { RateStatus } from "./rate-limit";
import { recordRefusal } from "./refusal";
import type { GatewayRuntime } from "./runtime";
import { setAnswerHeader, type GatewayAnswer, type Reply } from "./wire";

/**
 * One gateway request from arrival to its answer: its request id (every response carries it,
 * errors included), admission under the key's limits, the concurrency slot it holds until the
 * response ends, OpenAI's x-ratelimit-* headers on every response after key authentication
 * (429s included), and the ledger row of a refusal. Handlers follow one pattern, so a slot
 * cannot be forgotten:
 *
 *   const call = new GatewayCall(rt);
 *   try { …; await call.admit(snapshot, key); …; return call.respond(response); }
 *   catch (err) { return call.fail(err); }
 *   finally { call.end(); }
 */

/** The limits a key runs under: its own, else the typed defaults for its app and pinned organization. */
export function keyLimits(snapshot: ConfigSnapshot, key: GatewayKey): { perMinute: number; concurrent: number } {
  const scope = { appId: key.appId, organizationId: key.organizationId };
  const perMinute = key.rateLimitPerMinute ?? readNumber(snapshot, "gateway.default_rate_limit_per_minute", scope).value;
  const concurrent = key.maxConcurrent ?? readNumber(snapshot, "gateway.default_max_concurrent_per_key", scope).value;
  // A setting row of 0 or a fraction would refuse every call or mean nothing: at least 1, whole.
  return { perMinute: Math.max(1, Math.floor(perMinute)), concurrent: Math.max(1, Math.floor(concurrent)) };
}

export class GatewayCall {
  readonly requestId = randomUUID();
  readonly receivedAt = Date.now();
  private key: GatewayKey | null = null;
  private snapshot: ConfigSnapshot | null = null;
  private lease: Lease | null = null;
  private rate: RateStatus | null = null;
  /** Set by the handler as it learns them; they go into a refusal's ledger row. */
  ctx: CallContext | null = null;
  trace: unknown = null;
  streamed = false;

  constructor(readonly rt: GatewayRuntime) {}

  /**
   * After authentication: the key's rate limit, then its concurrency cap (throws the 429). Both
   * are decided locally far from the limits and in the shared store near them (rate-limit.ts,
   * concurrency.ts). `concurrency: false` for routes that do not call a provider (feedback).
   */
  async admit(snapshot: ConfigSnapshot, key: GatewayKey, opts: { concurrency?: boolean } = {}): Promise<void> {
    this.key = key;
    this.snapshot = snapshot;
    const limits = keyLimits(snapshot, key);
    this.rate = await this.rt.rateLimiter.hit(key.id, limits.perMinute);
    if (opts.concurrency !== false) this.lease = await this.rt.concurrency.acquire(key.id, limits.concurrent);
  }

  /** Headers every response of this call carries: x-request-id, and the rate limit once known. */
  headers(): Record<string, string> {
    return { "x-request-id": this.requestId, ...(this.rate ? rateLimitHeaders(this.rate) : {}) };
  }

  /** The success response with this call's headers; a stream keeps the slot until it ends or is cancelled. */
  respond(response: GatewayAnswer): GatewayAnswer {
    for (const [name, value] of Object.entries(this.headers())) setAnswerHeader(response, name, value);
    const lease = this.lease;
    this.lease = null;
    return lease ? releaseWhenDone(response, lease) : response;
  }

  /**
   * The error response (with x-request-id). A refusal after authentication gets its ledger row;
   * `record: false` for routes whose refusals are not LLM calls (feedback).
   */
  fail(err: unknown, opts: { record?: boolean } = {}): Reply {
    const e: GatewayError = toGatewayError(err);
    if (e.refusal && opts.record !== false && this.key && this.snapshot) {
      try {
        recordRefusal(this.rt, this.snapshot, {
          requestId: this.requestId, receivedAt: this.receivedAt, key: this.key, ctx: this.ctx, streamed: this.streamed, trace: this.trace,
        }, e);
      } catch (recordErr) {
        console.error(`[gateway] could not record a refused call: ${errorMessage(recordErr)}`);
      }
    }
    // A rate-limit 429 brings its own x-ratelimit-* headers (remaining 0); others get the call's.
    return errorReply(e, { ...this.headers(), ...e.headers });
  }

  /** Releases the slot unless a streamed response took it over. Idempotent. */
  end(): void {
    this.lease?.release();
    this.lease = null;
  }
}
