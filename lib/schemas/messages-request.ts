import { z } from "zod";

/**
 * POST /api/llm/v1/messages: Anthropic's Messages request (API reference "Create a Message",
 * @anthropic-ai/sdk MessageCreateParams), validated for the fields the gateway translates. The
 * shape of each content block, tool and tool_choice is checked by the translator
 * (lib/gateway/translate/messages-request.ts), which names the exact place of what it cannot
 * carry; fields outside MESSAGES_FIELDS are a 400 naming them, as Anthropic answers "Extra inputs
 * are not permitted". `metadata` takes Anthropic's `user_id` and the gateway's routing metadata
 * (action, organization…, as chat's metadata; x-llm-* headers likewise).
 */
export const MESSAGES_FIELDS: ReadonlySet<string> = new Set([
  "model", "max_tokens", "messages", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
  "tools", "tool_choice", "cache_control", "output_config",
]);

/** Anthropic fields the gateway knows and refuses, with why (the 400 says it). */
export const MESSAGES_REFUSED_FIELDS: Readonly<Record<string, string>> = {
  thinking: "extended thinking is not carried through the gateway's chat translation",
  service_tier: "a processing tier is priced apart from the price table",
  container: "code-execution containers (server tools) are not supported",
  mcp_servers: "remote MCP servers (server-side tool calls) are not supported",
  context_management: "server-side context management is not supported",
  inference_geo: "a processing region is priced apart from the price table",
  speed: "fast mode is priced apart from the price table",
  diagnostics: "prompt-cache diagnostics are not carried through the gateway's chat translation",
};

const block = z.looseObject({ type: z.string().min(1) });

export const messagesRequestSchema = z.looseObject({
  model: z.string().trim().min(1, "model is required (\"auto\", an action name or a model)").max(200),
  max_tokens: z.number({ error: "max_tokens is required (a positive integer)" }).int().positive().max(1_000_000),
  messages: z
    .array(z.looseObject({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(block)]) }))
    .min(1, "messages must contain at least one message")
    .max(1000),
  system: z.union([z.string(), z.array(block)]).optional(),
  metadata: z.record(z.string(), z.string().max(500).nullable()).optional(),
  stop_sequences: z.array(z.string().min(1)).max(16).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  tools: z.array(z.looseObject({})).max(256).optional(),
  cache_control: z.looseObject({}).nullable().optional(),
  // Structured output: `format` (a JSON schema) is translated; `effort` is refused by the translator.
  output_config: z.looseObject({}).nullable().optional(),
  tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() }).optional(),
});
export type MessagesBody = z.infer<typeof messagesRequestSchema>;
