import Decimal from "decimal.js";
import { sql } from "kysely";
import { vi } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { ANTHROPIC_TEXT, ANTHROPIC_USAGE, startAnthropicFake, type AnthropicFake } from "./fake-upstreams/anthropic";
import { GEMINI_TEXT, GEMINI_USAGE } from "./fake-upstreams/gemini";
import { startGeminiCompatFake } from "./fake-upstreams/gemini-compat";
import type { FakeUpstream } from "./fake-upstreams/harness";
import { OPENAI_TEXT, OPENAI_USAGE } from "./fake-upstreams/openai";
import { startOpenAICompatFake } from "./fake-upstreams/openai-compat";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "./gateway-world";
import type { GatewayTarget } from "./databases";

/**
 * The gateway world of the client compatibility matrix (tests/integration/compat/): the world of
 * gateway-world.ts plus three upstreams, each a provider of its real kind with a chat model, an
 * embedding model, a price row and two routing rules (`compat_<upstream>` → the chat model,
 * `compat_<upstream>_embed` → the embedding model):
 * - openai: kind `openai`, the OpenAI fake following the request (openai-compat.ts: chat + embeddings);
 * - anthropic: kind `anthropic`, the strict Anthropic fake (anthropic.ts);
 * - gemini: kind `google`, the Gemini fake following the request (gemini-compat.ts).
 * Anthropic and Gemini have no embeddings in the gateway: their embedding models exist so that an
 * embeddings call routed there reaches the gateway's refusal.
 */
export type UpstreamName = "openai" | "anthropic" | "gemini";

/** A price row as written to model_prices (per million tokens). */
export interface Price {
  input: string;
  output: string;
  cached: string | null;
  cacheWrite: string | null;
  currency: string;
}

/** Token counts as the ledger records them (prompt includes cache reads and writes). */
export interface Tokens {
  prompt: number;
  completion: number;
  cached: number;
  cacheWrite: number | null;
  /** Null when the provider reports none (Anthropic): unknown, not zero. */
  reasoning: number | null;
}

export interface Upstream {
  name: UpstreamName;
  fake: FakeUpstream;
  providerCode: string;
  chatModel: string;
  embedModel: string;
  chatAction: string;
  embedAction: string;
  price: Price;
  /** What the fake reports for every chat answer, in the ledger's terms. */
  tokens: Tokens;
  /** The fake's plain text answer. */
  text: string;
}

export interface CompatWorld {
  url: string;
  apiKey: string;
  gateway: GatewayWorld;
  upstreams: Record<UpstreamName, Upstream>;
  anthropic: AnthropicFake;
  /** The llm_calls rows of one matrix cell (its pipeline_stage), in the order they were made. */
  rowsOf(stage: string): Promise<LedgerRow[]>;
  resetFakes(): void;
  close(): Promise<void>;
}

export interface LedgerRow {
  status: string;
  error_type: string | null;
  http_status: number | null;
  request_type: string | null;
  provider_code: string | null;
  model_code: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  total_tokens: number | null;
  streamed: boolean;
  cost: string | null;
  currency: string | null;
  pricing_source: string | null;
  record_complete: boolean;
}

/** The documented rule (README "Accounting"), computed here from the price row, not by the gateway's code. */
export function expectedCost(t: Tokens, p: Price): string {
  const perMtok = (n: number, price: string | null, or: string) => new Decimal(n).mul(price ?? or);
  const written = t.cacheWrite ?? 0;
  return perMtok(t.prompt - t.cached - written, p.input, p.input)
    .add(perMtok(t.cached, p.cached, p.input))
    .add(perMtok(written, p.cacheWrite, p.input))
    .add(perMtok(t.completion, p.output, p.output))
    .div(1_000_000)
    .toFixed();
}

const OPENAI_TOKENS: Tokens = {
  prompt: OPENAI_USAGE.prompt_tokens,
  completion: OPENAI_USAGE.completion_tokens,
  cached: OPENAI_USAGE.prompt_tokens_details.cached_tokens,
  cacheWrite: null,
  reasoning: OPENAI_USAGE.completion_tokens_details.reasoning_tokens,
};
// Anthropic reports input apart from cache reads and writes; the ledger's prompt includes them.
const ANTHROPIC_TOKENS: Tokens = {
  prompt: ANTHROPIC_USAGE.input_tokens + ANTHROPIC_USAGE.cache_read_input_tokens + ANTHROPIC_USAGE.cache_creation_input_tokens,
  completion: ANTHROPIC_USAGE.output_tokens,
  cached: ANTHROPIC_USAGE.cache_read_input_tokens,
  cacheWrite: ANTHROPIC_USAGE.cache_creation_input_tokens,
  reasoning: null,
};
// Gemini's prompt count includes cached content; output = candidates + thoughts.
const GEMINI_TOKENS: Tokens = {
  prompt: GEMINI_USAGE.promptTokenCount,
  completion: GEMINI_USAGE.candidatesTokenCount + GEMINI_USAGE.thoughtsTokenCount,
  cached: GEMINI_USAGE.cachedContentTokenCount,
  cacheWrite: null,
  reasoning: GEMINI_USAGE.thoughtsTokenCount,
};

const SPECS: readonly { name: UpstreamName; kind: "openai" | "anthropic" | "google"; code: string; chat: string; embed: string; envVar: string; path: string; price: Price; tokens: Tokens; text: string }[] = [
  { name: "openai", kind: "openai", code: "compat-oai", chat: "gpt-4o-mini", embed: "text-embedding-3-small", envVar: "COMPAT_OAI_API_KEY", path: "/v1",
    price: { input: "0.15", output: "0.60", cached: "0.075", cacheWrite: null, currency: "USD" }, tokens: OPENAI_TOKENS, text: OPENAI_TEXT },
  { name: "anthropic", kind: "anthropic", code: "compat-claude", chat: "claude-sonnet-4-5", embed: "claude-embed", envVar: "COMPAT_CLAUDE_API_KEY", path: "/v1",
    price: { input: "3", output: "15", cached: "0.30", cacheWrite: "3.75", currency: "EUR" }, tokens: ANTHROPIC_TOKENS, text: ANTHROPIC_TEXT },
  { name: "gemini", kind: "google", code: "compat-gemini", chat: "gemini-2.5-flash", embed: "gemini-embedding-001", envVar: "COMPAT_GEMINI_API_KEY", path: "/v1beta",
    price: { input: "0.30", output: "2.50", cached: "0.075", cacheWrite: null, currency: "USD" }, tokens: GEMINI_TOKENS, text: GEMINI_TEXT },
];

export async function startCompatWorld(target: GatewayTarget): Promise<CompatWorld> {
  const gateway = await startGatewayWorld(target);
  const [openai, anthropic, gemini] = await Promise.all([startOpenAICompatFake(), startAnthropicFake(), startGeminiCompatFake()]);
  const fakes: Record<UpstreamName, FakeUpstream> = { openai, anthropic, gemini };
  for (const spec of SPECS) vi.stubEnv(spec.envVar, `sk-${spec.name}-SECRET-0123456789`);
  const db = await serviceDb();
  await db.transaction().execute(async (tx) => {
    for (const spec of SPECS) {
      const provider = await tx.insertInto("llm_providers")
        .values({ code: spec.code, name: spec.code, kind: spec.kind, base_url: `${fakes[spec.name].origin}${spec.path}`, api_key_env_var: spec.envVar, timeout_ms: 5000, max_retries: 0 })
        .returning("id").executeTakeFirstOrThrow();
      const model = (code: string, kind: "chat" | "embedding") =>
        tx.insertInto("llm_models").values({ provider_id: provider.id, model_code: code, display_name: code, kind }).returning("id").executeTakeFirstOrThrow();
      const chat = await model(spec.chat, "chat");
      const embed = await model(spec.embed, "embedding");
      const p = spec.price;
      for (const m of [chat.id, embed.id]) {
        await tx.insertInto("model_prices").values({
          model_id: m, input_per_mtok: p.input, output_per_mtok: p.output, cached_input_per_mtok: p.cached, cache_write_per_mtok: p.cacheWrite,
          currency: p.currency, effective_from: new Date("2024-01-01T00:00:00Z"),
        }).execute();
      }
      await tx.insertInto("llm_configurations").values({ app_id: gateway.ids.app, action_type: `compat_${spec.name}`, model_id: chat.id, priority: 100 }).execute();
      await tx.insertInto("llm_configurations").values({ app_id: gateway.ids.app, action_type: `compat_${spec.name}_embed`, model_id: embed.id, priority: 100 }).execute();
    }
  });
  await runtime().config.reload();

  const upstreams = Object.fromEntries(
    SPECS.map((s) => [s.name, {
      name: s.name, fake: fakes[s.name], providerCode: s.code, chatModel: s.chat, embedModel: s.embed,
      chatAction: `compat_${s.name}`, embedAction: `compat_${s.name}_embed`, price: s.price, tokens: s.tokens, text: s.text,
    } satisfies Upstream]),
  ) as Record<UpstreamName, Upstream>;

  return {
    url: gateway.url,
    apiKey: KEYS.app,
    gateway,
    upstreams,
    anthropic,
    async rowsOf(stage) {
      await flushed();
      const rows = await (await serviceDb())
        .selectFrom("llm_calls")
        .select([
          "status", "error_type", "http_status", "request_type", "provider_code", "model_code", "prompt_tokens", "completion_tokens", "cached_tokens",
          "cache_write_tokens", "reasoning_tokens", "total_tokens", "streamed", "currency", "pricing_source", "record_complete",
          sql<string | null>`cost::text`.as("cost"),
        ])
        .where("pipeline_stage", "=", stage)
        .orderBy("created_at")
        .orderBy("attempt")
        .execute();
      return rows.map((r) => ({ ...r, cost: r.cost === null ? null : new Decimal(r.cost).toFixed() }));
    },
    resetFakes() {
      for (const f of Object.values(fakes)) f.reset();
    },
    async close() {
      await gateway.close();
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
