import type { ProviderKind } from "@/lib/engine/types";
import { anthropicAdapter } from "@/lib/providers/anthropic";
import { googleAdapter } from "@/lib/providers/google";
import { mistralAdapter } from "@/lib/providers/mistral";
import { mockAdapter } from "@/lib/providers/mock";
import { openaiAdapter } from "@/lib/providers/openai";
import { openaiCompatibleAdapter } from "@/lib/providers/openai-compatible";
import { openrouterAdapter } from "@/lib/providers/openrouter";
import type { ProviderAdapter } from "@/lib/providers/types";

/** One adapter per llm_providers.kind; adapters are stateless apart from shared pools. */
const ADAPTERS: Record<ProviderKind, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  mistral: mistralAdapter,
  google: googleAdapter,
  openrouter: openrouterAdapter,
  openai_compatible: openaiCompatibleAdapter,
  mock: mockAdapter,
};

export function getAdapter(kind: ProviderKind): ProviderAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`unknown provider kind: ${String(kind)}`);
  return adapter;
}
