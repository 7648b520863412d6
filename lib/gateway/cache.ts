import { readNumber } from "@/lib/engine/settings";
import type { RouteTarget, Usage } from "@/lib/engine/types";
import type { ChatRequest, CompletionResult } from "@/lib/providers/types";
import { getEnv } from "@/lib/env";
import { attemptRecord, ZERO_USAGE } from "./attempt-record";
import { cacheKey } from "./cache-key";
import { LocalCopies } from "./cache-local";
import type { ResponseCacheStore } from "./cache-store";
import { complete, type Completed } from "./complete";
import { routeInfo, storePrompts, upstreamRequest, type RoutedCall } from "./execute";
import { checkRequestFields } from "./request-fields";
import { openStream, type StreamFrame, type Streaming } from "./stream";
import { setAnswerHeader, type GatewayAnswer } from "./wire";

/**
 * The per-tenant response cache on the chat path (issue 13). Off unless the typed setting
 * cache.ttl_seconds is above 0 for the call's app and organization: then the store is not touched
 * at all. On, a call's key (cache-key.ts: the normalised upstream request, the resolved model,
 * app and organization) is looked up after routing; a hit answers from the store in the form of
 * the original (a JSON body, or the stream's frames replayed, which every dialect's handler
 * translates as it does a provider's), is recorded as one ledger row of cost 0 priced by
 * 'cache' with the cost it saved, and never reaches the provider. A miss goes to the provider and
 * its answer is stored only when it completed (a JSON 200, or a stream that reached its end).
 *
 * `Cache-Control: no-cache` from the caller skips the lookup (the answer is stored again);
 * `no-store` skips the lookup and the write.
 */

export type CacheStatus = "hit" | "miss" | "bypass";

/** What the cache needs of a routed call: begin.ts's BegunCall. */
export interface CacheableCall extends RoutedCall {
  request: ChatRequest;
  /** The caller's Cache-Control header. */
  cacheControl?: string | null;
  /** The lookup made before budget admission (peekCache), when one was made. */
  peeked?: CachePeek;
}

/** A lookup made while routing, before any budget was admitted (execute.ts route's `peek`). */
export interface CachePeek {
  /** The route it was made for: valid only while the call keeps that route (a budget may reroute it). */
  decision: RoutedCall["decision"];
  plan: Plan | null;
  hit: Stored | null;
  streamed: boolean;
}

interface Plan {
  key: string;
  ttlMs: number;
  lookup: boolean;
  write: boolean;
}

interface StoredBase {
  v: 1;
  /** The model that answered (a fallback's too): the hit is recorded against it. */
  modelId: string;
  modelVersion: string | null;
  cost: string | null;
  currency: string | null;
  /** When the entry expires (ms since the epoch): copies in other instances end then too. */
  expiresAt: number;
}
type StoredJson = StoredBase & { form: "json"; result: CompletionResult };
type StoredStream = StoredBase & {
  form: "stream";
  chunks: { data: Record<string, unknown>; text: string }[];
  end: { data: Record<string, unknown> | null; usage: Usage | null };
};
type Stored = StoredJson | StoredStream;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The cache's decision for a call, or null when it is off for the call's app and organization. */
function planFor(call: CacheableCall, streamed: boolean): Plan | null {
  if (!call.rt.cache) return null;
  const { ctx, snapshot, decision } = call;
  const scope = { appId: ctx.app.id, organizationId: ctx.organization?.id ?? null };
  const ttl = readNumber(snapshot, "cache.ttl_seconds", scope).value;
  if (!(ttl > 0)) return null;
  const directives = (call.cacheControl ?? "").toLowerCase();
  const noStore = /(^|[\s,])no-store([\s,]|$)/.test(directives);
  const noCache = noStore || /(^|[\s,])no-cache([\s,]|$)/.test(directives);
  const upstream = upstreamRequest(call.request, decision.params);
  // As on the provider path: a field the route does not allow is refused (400), never answered from the cache.
  checkRequestFields(call, { caller: call.request, upstream });
  const key = cacheKey({
    kind: "chat", appId: ctx.app.id, organizationId: ctx.organization?.id ?? null, target: decision.primary, streamed, request: upstream,
  });
  return { key, ttlMs: Math.min(ttl, 604_800) * 1000, lookup: !noCache, write: !noStore };
}

/** This instance's parsed copies of entries, per store (cache-local.ts). */
const copies = new WeakMap<ResponseCacheStore, LocalCopies<Stored>>();
function localFor(store: ResponseCacheStore): LocalCopies<Stored> {
  let local = copies.get(store);
  if (!local) copies.set(store, (local = new LocalCopies<Stored>()));
  return local;
}

/** Forgets this instance's copies: the next lookups read the shared store (tests: "another instance"). */
export function dropLocalCopies(store: ResponseCacheStore | undefined): void {
  if (store) localFor(store).clear();
}

async function lookup<F extends Stored["form"]>(call: CacheableCall, plan: Plan, form: F): Promise<Extract<Stored, { form: F }> | null> {
  if (!plan.lookup) return null;
  const local = localFor(call.rt.cache!);
  const now = Date.now();
  let stored = local.get(plan.key, now);
  if (!stored) {
    const text = await call.rt.cache!.get(plan.key);
    if (text === null) return null;
    try {
      stored = JSON.parse(text) as Stored;
    } catch {
      return null; // an unreadable entry is a miss; the next answer replaces it
    }
    if (stored.v !== 1 || !(stored.expiresAt > now)) return null;
    local.set(plan.key, stored, stored.expiresAt, text.length);
  }
  return stored.form === form ? (stored as Extract<Stored, { form: F }>) : null;
}

function store(call: CacheableCall, plan: Plan, answer: DistributiveOmit<Stored, "expiresAt">): void {
  if (!plan.write) return;
  const stored = { ...answer, expiresAt: Date.now() + plan.ttlMs } as Stored;
  const entry = JSON.stringify(stored);
  if (Buffer.byteLength(entry) > getEnv().RESPONSE_CACHE_MAX_ENTRY_BYTES) return;
  localFor(call.rt.cache!).set(plan.key, stored, stored.expiresAt, entry.length);
  const { ctx } = call;
  // Off the response path: the answer does not wait for the store.
  const write = call.rt.cache!.put({ key: plan.key, organizationKey: ctx.organization?.id ?? "", appId: ctx.app.id, entry }, plan.ttlMs);
  writing.add(write);
  void write.finally(() => writing.delete(write));
}

/** Writes in flight (put never rejects). */
const writing = new Set<Promise<void>>();

/** Resolves when every cache write started so far has landed (tests; a clean shutdown). */
export async function cacheWritesSettled(): Promise<void> {
  while (writing.size > 0) await Promise.all([...writing]);
}

/** The route's target that answered the stored call (it may have been a fallback), else the primary. */
function targetOf(call: CacheableCall, modelId: string): RouteTarget {
  const { decision } = call;
  return [decision.primary, ...decision.fallbacks].find((t) => t.model.id === modelId) ?? decision.primary;
}

/**
 * The ledger row of a hit: one attempt of cost 0 priced by 'cache' (no tokens went to a
 * provider), and what the original call cost in its currency. An original without a known cost
 * leaves both unknown rather than claiming a saving.
 */
function recordHit(call: CacheableCall, target: RouteTarget, stored: Stored, streamed: boolean, completion: string): { cost: string | null; currency: string | null } {
  const { rt, snapshot, ctx, decision } = call;
  const latencyMs = Date.now() - ctx.receivedAt;
  const outcome = {
    attempt: 1, createdAt: new Date(), latencyMs, ttftMs: streamed ? latencyMs : null, streamed,
    usage: ZERO_USAGE, modelVersion: stored.modelVersion, error: null, completion,
  };
  const prompt = storePrompts(snapshot, ctx) ? call.request.messages : null;
  const { record } = attemptRecord({ snapshot, ctx, target, route: routeInfo(decision), outcome, prompt });
  const priced = stored.cost !== null && stored.currency !== null;
  rt.recorder.record({
    ...record,
    input_price_per_mtok: null, output_price_per_mtok: null, cached_input_price_per_mtok: null,
    cache_write_price_per_mtok: null, cache_write_1h_price_per_mtok: null, price_id: null,
    cost: priced ? "0" : null,
    currency: priced ? stored.currency : null,
    pricing_source: priced ? "cache" : null,
    baseline_cost: priced ? record.baseline_cost : null,
    baseline_model_id: priced ? record.baseline_model_id : null,
    cache_hit: true,
    cache_saved_cost: priced ? stored.cost : null,
  });
  ctx.budget?.settle(); // nothing spent: the reservation is released
  return { cost: priced ? "0" : null, currency: priced ? stored.currency : null };
}

/**
 * The cache's plan and lookup for a call routed to `decision`, before its budget is admitted: a
 * hit is then answered without reserving anything (completeCached / openStreamCached reuse it).
 */
export async function peekCache(call: Omit<CacheableCall, "peeked">, streamed: boolean): Promise<CachePeek> {
  const plan = planFor(call, streamed);
  const hit = plan ? await lookup(call, plan, streamed ? "stream" : "json") : null;
  return { decision: call.decision, plan, hit, streamed };
}

/** The peek made for this call on this route, or a fresh plan and lookup. */
async function planAndLookup<F extends Stored["form"]>(call: CacheableCall, form: F): Promise<{ plan: Plan | null; hit: Extract<Stored, { form: F }> | null }> {
  const streamed = form === "stream";
  const p = call.peeked;
  if (p && p.decision === call.decision && p.streamed === streamed && (p.hit === null || p.hit.form === form)) {
    return { plan: p.plan, hit: p.hit as Extract<Stored, { form: F }> | null };
  }
  const plan = planFor(call, streamed);
  return { plan, hit: plan ? await lookup(call, plan, form) : null };
}

/** complete(), answered from the cache when it holds this call's answer. */
export async function completeCached(call: CacheableCall): Promise<Completed & { cache: CacheStatus | null }> {
  const { plan, hit } = await planAndLookup(call, "json");
  if (!plan) return { ...(await complete(call)), cache: null };
  if (hit) {
    const target = targetOf(call, hit.modelId);
    const priced = recordHit(call, target, hit, false, hit.result.text);
    return { result: hit.result, target, attempts: 0, upstreamMs: 0, ...priced, pricingSource: priced.cost !== null ? "cache" : null, cache: "hit" };
  }
  const done = await complete(call);
  store(call, plan, {
    v: 1, form: "json", modelId: done.target.model.id, modelVersion: done.result.modelVersion, cost: done.cost, currency: done.currency, result: done.result,
  });
  return { ...done, cache: plan.lookup ? "miss" : "bypass" };
}

/** openStream(), replayed from the cache when it holds this call's stream. */
export async function openStreamCached(call: CacheableCall): Promise<Streaming & { cache: CacheStatus | null }> {
  const { plan, hit } = await planAndLookup(call, "stream");
  if (!plan) return { ...(await openStream(call)), cache: null };
  if (hit) {
    const target = targetOf(call, hit.modelId);
    const priced = recordHit(call, target, hit, true, hit.chunks.map((c) => c.text).join(""));
    const pricing = { ...priced, pricingSource: priced.cost !== null ? ("cache" as const) : null };
    return { target, attempts: 0, frames: replay(hit, pricing), cache: "hit" };
  }
  const s = await openStream(call);
  return { ...s, frames: capture(call, plan, s), cache: plan.lookup ? "miss" : "bypass" };
}

async function* replay(stored: StoredStream, pricing: Extract<StreamFrame, { kind: "end" }>["pricing"]): AsyncGenerator<StreamFrame> {
  for (const c of stored.chunks) yield { kind: "chunk", data: c.data, text: c.text, raw: null };
  yield { kind: "end", data: stored.end.data, usage: stored.end.usage, pricing };
}

/** Passes a provider's frames on, keeping them; a stream that reached its end is stored. */
async function* capture(call: CacheableCall, plan: Plan, s: Streaming): AsyncGenerator<StreamFrame> {
  const chunks: StoredStream["chunks"] = [];
  let keep = plan.write;
  let bytes = 0;
  const max = getEnv().RESPONSE_CACHE_MAX_ENTRY_BYTES;
  for await (const frame of s.frames) {
    if (frame.kind === "chunk" && keep) {
      chunks.push({ data: frame.data, text: frame.text });
      bytes += frame.raw?.length ?? frame.text.length;
      if (bytes > max) keep = false;
    } else if (frame.kind === "error") {
      keep = false;
    } else if (frame.kind === "end" && keep) {
      store(call, plan, {
        v: 1, form: "stream", modelId: s.target.model.id, modelVersion: null,
        cost: frame.pricing.cost, currency: frame.pricing.currency, chunks, end: { data: frame.data, usage: frame.usage },
      });
    }
    yield frame;
  }
}

/** Sets x-llm-cache (hit, miss or bypass) on an answer when the cache is on for the call. */
export function markCache<A extends GatewayAnswer>(answer: A, status: CacheStatus | null): A {
  if (status) setAnswerHeader(answer, "x-llm-cache", status);
  return answer;
}
