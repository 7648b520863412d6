import type { Kysely } from "kysely";
import { createClient } from "redis";
import { errorMessage } from "@/lib/errors";
import type { DB } from "@/lib/db/schema";
import { pruneCached, readCached, writeCached, type CacheBounds, type CachePut } from "@/lib/db/response-cache";

/**
 * Where the response cache keeps its answers so that every gateway instance sees them: Redis when
 * REDIS_URL is set, else the unlogged Postgres table response_cache. Both expire entries by their
 * TTL and stay within the same bounds (entries overall and per organization, soonest expiry
 * evicted first). Both fail open: a store that errs or is slow answers "no entry" (the call goes
 * to the provider) and a failed write is dropped; the outage is logged at most once a minute.
 */
export interface ResponseCacheStore {
  readonly kind: "postgres" | "redis";
  /** The entry, or null when there is none, it expired, or the store is unavailable. */
  get(key: string): Promise<string | null>;
  /** Stores the entry for ttlMs, then keeps the store within its bounds. Never throws. */
  put(put: Omit<CachePut, "expiresAt">, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Longest a lookup may take before the call goes to the provider instead. */
const READ_DEADLINE_MS = 250;
/** Longest a write waits for a Redis connection (off the response path) before it is dropped. */
const CONNECT_WAIT_MS = 1000;

let lastWarning = 0;
function warnOnce(what: string, err: unknown): void {
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  console.warn(`[gateway] response cache ${what} failed (calls go to the provider): ${errorMessage(err)}`);
}

function deadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export class PostgresCacheStore implements ResponseCacheStore {
  readonly kind = "postgres" as const;
  private writes = 0;

  /** `pruneEvery`: writes between two prunes of the table (1 = after every write). */
  constructor(
    private readonly getDb: () => Promise<Kysely<DB>>,
    private readonly bounds: CacheBounds,
    private readonly pruneEvery = 50,
  ) {}

  async get(key: string): Promise<string | null> {
    try {
      return await deadline(this.getDb().then((db) => readCached(db, key)), READ_DEADLINE_MS);
    } catch (err) {
      warnOnce("lookup", err);
      return null;
    }
  }

  async put(put: Omit<CachePut, "expiresAt">, ttlMs: number): Promise<void> {
    try {
      const db = await this.getDb();
      await writeCached(db, { ...put, expiresAt: new Date(Date.now() + ttlMs) });
      // Every organization's first write prunes too, so a small cap holds from the start.
      if (this.writes++ % this.pruneEvery === 0) await pruneCached(db, put.organizationKey, this.bounds);
    } catch (err) {
      warnOnce("write", err);
    }
  }

  async close(): Promise<void> {}
}

/** Redis keys: entries, one sorted set per organization and one overall, scored by expiry (ms). */
const PREFIX = "llmcp:rc:";

/**
 * One round trip per write: SET with PX, both sorted sets, expired members dropped, then the
 * organization's and the overall bound enforced by popping the soonest-expiring members and
 * deleting their entries. Single-node Redis (the script touches keys it derives).
 */
const PUT_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[7] .. '|' .. KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
local evicted = 0
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #gone, 2 do
    redis.call('DEL', gone[i])
    redis.call('ZREM', KEYS[3], ARGV[7] .. '|' .. gone[i])
    evicted = evicted + 1
  end
end
over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
if over > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[3], over)
  for i = 1, #gone, 2 do
    local sep = string.find(gone[i], '|', 1, true)
    local k = string.sub(gone[i], sep + 1)
    redis.call('DEL', k)
    redis.call('ZREM', ARGV[8] .. 'org:' .. string.sub(gone[i], 1, sep - 1), k)
    evicted = evicted + 1
  end
end
return evicted
`;

export class RedisCacheStore implements ResponseCacheStore {
  readonly kind = "redis" as const;
  private readonly client;
  private connecting: Promise<unknown> | null = null;

  constructor(url: string, private readonly bounds: CacheBounds) {
    this.client = createClient({
      url,
      // Fail fast while Redis is away (no queue of commands waiting for it); reconnect in the background.
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
    });
    this.client.on("error", (err: unknown) => warnOnce("store (Redis)", err));
  }

  private ready(): boolean {
    if (!this.client.isOpen && !this.connecting) {
      this.connecting = this.client.connect().catch((err: unknown) => {
        warnOnce("connection (Redis)", err);
        this.connecting = null;
      });
    }
    return this.client.isReady;
  }

  async get(key: string): Promise<string | null> {
    try {
      if (!this.ready()) await deadline(this.connecting ?? Promise.resolve(), READ_DEADLINE_MS);
      if (!this.client.isReady) return null;
      return await deadline(this.client.get(PREFIX + key), READ_DEADLINE_MS);
    } catch (err) {
      warnOnce("lookup (Redis)", err);
      return null;
    }
  }

  async put(put: Omit<CachePut, "expiresAt">, ttlMs: number): Promise<void> {
    try {
      if (!this.ready()) await deadline(this.connecting ?? Promise.resolve(), CONNECT_WAIT_MS);
      if (!this.client.isReady) return;
      const now = Date.now();
      const org = put.organizationKey || "-";
      await this.client.eval(PUT_SCRIPT, {
        keys: [PREFIX + put.key, `${PREFIX}org:${org}`, `${PREFIX}all`],
        arguments: [put.entry, String(Math.max(1, Math.round(ttlMs))), String(now + ttlMs), String(now),
          String(this.bounds.maxPerOrganization), String(this.bounds.maxEntries), org, PREFIX],
      });
    } catch (err) {
      warnOnce("write (Redis)", err);
    }
  }

  async close(): Promise<void> {
    // A client still trying to reach a Redis that is away would wait on: drop it instead.
    if (this.client.isReady) await this.client.close().catch(() => undefined);
    else if (this.client.isOpen) this.client.destroy();
  }
}
