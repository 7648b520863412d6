import { Agent, Pool, fetch as undiciFetch, type Dispatcher } from "undici";

/**
 * Keep-alive connection pools, one per upstream origin, shared by every call in the process.
 * The hot path talks to them directly with `pool.request()` (no WHATWG fetch layer, no Next.js
 * fetch patching); the AI SDK adapters get an undici fetch with the same pool settings.
 */

/** Enough sockets that pipelining 1 never queues at the gateway's realistic concurrency. */
const CONNECTIONS = 256;

const POOL_OPTIONS = {
  connections: CONNECTIONS,
  // Pipelining would let one slow answer block the requests queued behind it.
  pipelining: 1,
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 60_000,
  connect: { timeout: 10_000 },
};

const pools = new Map<string, Pool>();

export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool || pool.closed || pool.destroyed) {
    pool = new Pool(origin, POOL_OPTIONS);
    pools.set(origin, pool);
  }
  return pool;
}

// fetch gets an Agent of its own (same settings): an Agent closes the pools it manages once
// their last connection drops, so it must not be handed the shared ones above.
let agent = new Agent(POOL_OPTIONS);

type FetchInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

/**
 * A global-fetch-compatible function on the shared pools, for SDKs that take a `fetch` option.
 * The casts bridge undici's own Request/Response typings and the DOM's, which are the same
 * classes at runtime.
 */
export const pooledFetch = ((input: string | URL, init?: RequestInit) =>
  undiciFetch(input, { ...(init as FetchInit), dispatcher: agent })) as unknown as typeof globalThis.fetch;

/** Closes every pool (tests, graceful shutdown); new calls open fresh ones. */
export async function closePools(): Promise<void> {
  const all: Dispatcher[] = [...pools.values(), agent];
  pools.clear();
  agent = new Agent(POOL_OPTIONS);
  await Promise.all(all.map((p) => p.close().catch(() => undefined)));
}

interface ResolvedBase {
  origin: string;
  /** Path prefix without a trailing slash, e.g. "/v1". */
  prefix: string;
  /** Query string to append (Azure-style `?api-version=`), "" when none. */
  search: string;
}

const bases = new Map<string, ResolvedBase>();

/**
 * Splits a base URL into the pool origin and the path prefix, once per distinct URL. A bare
 * origin (no path) gets the provider's default path, so "http://localhost:11434" works for
 * Ollama as well as ".../v1".
 */
export function resolveBase(baseUrl: string, defaultPath: string): ResolvedBase {
  const cacheKey = `${baseUrl}\n${defaultPath}`;
  let base = bases.get(cacheKey);
  if (!base) {
    const url = new URL(baseUrl);
    const path = url.pathname.replace(/\/+$/, "");
    base = { origin: url.origin, prefix: path === "" ? defaultPath : path, search: url.search };
    bases.set(cacheKey, base);
  }
  return base;
}

/** The same normalisation as a URL string, for SDKs that take a `baseURL`. */
export function normaliseBaseUrl(baseUrl: string, defaultPath: string): string {
  const b = resolveBase(baseUrl, defaultPath);
  return `${b.origin}${b.prefix}`;
}
