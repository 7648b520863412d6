import { z } from "zod";
import pkg from "@/package.json";
import { embeddingsSchema, MAX_EMBEDDING_INPUTS } from "@/lib/schemas/embeddings-request";
import { responsesRequestSchema } from "@/lib/schemas/responses-request";
import { chatCompletionSchema, feedbackSchema, generateSchema } from "@/lib/schemas/llm-request";
import { messagesRequestSchema } from "@/lib/schemas/messages-request";

/**
 * The OpenAPI 3.1 document of the gateway routes (GET /api/llm/openapi.json). Request bodies are
 * generated from the same zod schemas the routes validate with, so the document cannot drift.
 */
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["type", "message"],
      properties: { type: { type: "string" }, message: { type: "string" }, param: { type: ["string", "null"] }, code: { type: "string" } },
    },
  },
};

/** Anthropic's error shape: every error to a request that looks like an Anthropic client (dialect.ts). */
const anthropicError = {
  type: "object",
  required: ["type", "error"],
  properties: {
    type: { const: "error" },
    error: { type: "object", required: ["type", "message"], properties: { type: { type: "string" }, message: { type: "string" } } },
    request_id: { type: "string" },
  },
};

const ERROR_STATUSES = [
  ["400", "Malformed JSON, a field of the wrong type, an unknown action, model or organization"],
  ["401", "Missing, unknown, revoked or expired API key"],
  ["403", "The key lacks the scope, or is pinned to another organization"],
  ["413", "Body over 4 MiB"],
  ["415", "Content-Type is not application/json"],
  ["429", "Rate limit of the key (Retry-After) or the organization's budget (policy block)"],
  ["502", "Every provider attempt failed"],
  ["503", "No route can be served (kill switch without a legacy model, all circuits open)"],
] as const;

/** The error responses, each in the given error schema (OpenAI's `Error` or `AnthropicError`). */
const errorResponses = (ref: "Error" | "AnthropicError") =>
  Object.fromEntries(
    ERROR_STATUSES.map(([code, description]) => [code, { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } }]),
  ) as Record<(typeof ERROR_STATUSES)[number][0], { description: string; content: { "application/json": { schema: { $ref: string } } } }>;

const errors = errorResponses("Error");

const modelObject = {
  type: "object",
  required: ["id", "object", "created", "owned_by"],
  properties: { id: { type: "string" }, object: { const: "model" }, created: { type: "integer" }, owned_by: { type: "string" } },
};

const routingHeaders = {
  "x-request-id": { description: "The request's id: send it with feedback", schema: { type: "string", format: "uuid" } },
  "x-llm-provider": { description: "Provider that answered", schema: { type: "string" } },
  "x-llm-model": { description: "Model that answered", schema: { type: "string" } },
  "x-llm-routing-source": { description: "configuration, client_override, learned, budget_downgrade, legacy, explicit, fallback, global_fallback", schema: { type: "string" } },
  "x-llm-cost": { description: "Exact cost of the answering attempt (decimal string), when priced", schema: { type: "string" } },
  "x-llm-currency": { description: "Currency of x-llm-cost", schema: { type: "string" } },
  "x-llm-cache": {
    description: "Only when the response cache is on for the app or organization (setting cache.ttl_seconds): hit (answered from the cache, cost 0), miss, or bypass (the request sent Cache-Control: no-cache or no-store)",
    schema: { type: "string", enum: ["hit", "miss", "bypass"] },
  },
};

/** The embeddings body: generated, with `input` spelled out (its validation is a custom check). */
function embeddingsBody() {
  const body = schema(embeddingsSchema) as { properties?: Record<string, unknown> };
  const text = { type: "string", minLength: 1 };
  const tokens = { type: "array", minItems: 1, items: { type: "integer", minimum: 0 } };
  const input = {
    description: `A string, up to ${MAX_EMBEDDING_INPUTS} strings, a token array, or up to ${MAX_EMBEDDING_INPUTS} token arrays; none empty`,
    oneOf: [text, { type: "array", minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: text }, tokens, { type: "array", minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: tokens }],
  };
  return { ...body, properties: { ...body.properties, input } };
}

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "LLM Control Plane gateway",
      version: pkg.version,
      description:
        "Routes every LLM call by database configuration (app, action, client organization, priority), with retries, fallbacks and an exact cost record per attempt. Authenticate with `Authorization: Bearer <app key>`. Every error under /api/llm (unknown paths and wrong methods included) is JSON in the caller's dialect: OpenAI's `Error` shape, or Anthropic's `AnthropicError` shape when the request has an `anthropic-version` header, an `x-api-key` header without `Authorization`, or a path under /api/llm/v1/messages. The legacy /api/llm/v1/completions is not served (404 pointing to chat completions).",
    },
    servers: [{ url: "/" }],
    security: [{ appKey: [] }],
    paths: {
      "/api/llm/v1/chat/completions": {
        post: {
          summary: "OpenAI-compatible chat completion (set the OpenAI SDK's baseURL to <origin>/api/llm/v1)",
          description:
            "`model` is `auto` (route by `metadata.action`), an action name of the app, or a model code where the app allows explicit models. Routing metadata comes from `metadata` or the headers x-llm-action, x-llm-organization, x-llm-pipeline-stage, x-llm-request-type. `stream: true` answers with server-sent events; `stream_options.include_usage` ends with a usage chunk.",
          requestBody: { required: true, content: { "application/json": { schema: schema(chatCompletionSchema) } } },
          responses: {
            "200": {
              description: "An OpenAI chat.completion object, or a text/event-stream of chat.completion.chunk objects ending with `[DONE]`",
              headers: routingHeaders,
              content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...errors,
          },
        },
      },
      "/api/llm/v1/embeddings": {
        post: {
          summary: "OpenAI-compatible embeddings (the OpenAI SDK's embeddings.create with baseURL <origin>/api/llm/v1)",
          description:
            "`model` is an embedding model code where the app allows explicit models, or an action name of the app routed to an embedding model (metadata and headers as for chat). A chat model is a 400. `encoding_format` float (default) or base64 (little-endian float32, as OpenAI). OpenAI, Mistral (text input only; `dimensions` becomes `output_dimension`), OpenRouter, OpenAI-compatible servers and the key-less mock; Anthropic and Gemini have no embeddings here (400). Recorded with request_type `embedding` unless the caller names another; input tokens priced at the model's input price.",
          requestBody: { required: true, content: { "application/json": { schema: embeddingsBody() } } },
          responses: {
            "200": {
              description: "OpenAI's list: `{ object: \"list\", data: [{ object: \"embedding\", index, embedding }], model, usage: { prompt_tokens, total_tokens } }`",
              headers: routingHeaders,
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors,
          },
        },
      },
      "/api/llm/v1/responses": {
        post: {
          summary: "OpenAI's Responses API, stateless (the OpenAI SDK's responses.create / .stream / .parse and the AI SDK's default OpenAI provider with baseURL <origin>/api/llm/v1)",
          description:
            "Translated to a chat completion and routed, retried, priced and recorded as one, for every provider; the answer comes back as a `response` object (`id` = `resp_` + the x-request-id without dashes, `store: false`) or typed server-sent events (response.created … response.completed / response.incomplete, `error` on a cut after the start). `model`, `metadata` and headers as for chat. `input` items: messages (input_text, input_image by URL or data URL, input_file as base64 `file_data`, output_text, refusal), function_call, function_call_output, reasoning items without content (left out: no chat form takes them). Refused with a 400 naming the field: `store: true`, `previous_response_id`, `conversation`, `prompt`, `background: true`, `truncation: \"auto\"`, built-in tools, `item_reference` items, files and images by `file_id`, `include` values other than `reasoning.encrypted_content`, reasoning summaries, and fields the route's provider cannot take (named as the Responses API names them, e.g. `reasoning.effort`).",
          requestBody: { required: true, content: { "application/json": { schema: schema(responsesRequestSchema) } } },
          responses: {
            "200": {
              description: "An OpenAI Responses `response` object, or a text/event-stream of named Responses events numbered by `sequence_number`",
              headers: routingHeaders,
              content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...errors,
          },
        },
      },
      "/api/llm/v1/messages": {
        post: {
          summary: "Anthropic Messages API (set @anthropic-ai/sdk's baseURL to <origin>/api/llm; the app key as apiKey)",
          description:
            "Translated into the gateway's chat request and routed like chat completions (any provider kind; retries, fallbacks, budgets, pricing and recording the same); the answer comes back as Anthropic's Message, or with `stream: true` as Anthropic's event stream. The key as `x-api-key` or `Authorization: Bearer`; any `anthropic-version`. `model` as for chat (auto, an action, or an explicit model where allowed); `metadata.user_id` is the user reference, other routing metadata in `metadata` or the x-llm-* headers. Text, image (base64, url), document (base64 PDF, text), tool_use and tool_result blocks, cache_control, custom tools, tool_choice, stop_sequences, temperature, top_p and top_k are translated; output_config.format (structured output) are translated; thinking, output_config.effort, server tools, citations, container, mcp_servers, service_tier, speed and any other field are a 400 naming the field. `usage.input_tokens` excludes prompt-cache reads and writes, as Anthropic reports it. Errors in Anthropic's shape. /v1/messages/count_tokens is not served (404).",
          requestBody: { required: true, content: { "application/json": { schema: schema(messagesRequestSchema) } } },
          responses: {
            "200": {
              description: "Anthropic's Message, or a text/event-stream of message_start, content_block_start/_delta/_stop, message_delta (stop_reason, usage) and message_stop",
              headers: routingHeaders,
              content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...errorResponses("AnthropicError"),
          },
        },
      },
      "/api/llm/v1/models": {
        get: {
          summary: "What `model` may be: auto, the app's actions, and explicit models where allowed",
          responses: { "200": { description: "OpenAI model list", content: { "application/json": { schema: { type: "object" } } } }, "401": errors["401"] },
        },
      },
      "/api/llm/v1/models/{id}": {
        get: {
          summary: "One model this key may use (the OpenAI SDK's models.retrieve)",
          description:
            "`id` is one of the ids GET /api/llm/v1/models lists, or (explicit models allowed) the `provider/model` form chat accepts. Ids may contain `/` (e.g. `meta-llama/llama-3.3-70b-instruct`), raw or percent-encoded as `%2F`.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "OpenAI model object", content: { "application/json": { schema: modelObject } } },
            "401": errors["401"],
            "404": { description: "Not a model this key may use: `code` model_not_found", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
      "/api/llm/generate": {
        post: {
          summary: "Native generation by action",
          description: "Returns text, model, provider, usage, cost with currency and pricing source, the routing decision (with its trace when `explain` is true) and `request_id`. With `stream: true`, SSE events `delta` and a final `done`.",
          requestBody: { required: true, content: { "application/json": { schema: schema(generateSchema) } } },
          responses: { "200": { description: "The answer and its accounting", headers: routingHeaders, content: { "application/json": { schema: { type: "object" } } } }, ...errors },
        },
      },
      "/api/llm/feedback": {
        post: {
          summary: "A 1-5 quality score for a request the gateway answered (key scope `feedback`)",
          description: "One feedback per request: the first post is stored (201); a repeat replaces it (score, correctness, comment, time) and answers 200 with the updated row (`replaced: true`), so repeating never adds weight to learning.",
          requestBody: { required: true, content: { "application/json": { schema: schema(feedbackSchema) } } },
          responses: { "201": { description: "Recorded" }, "200": { description: "Replaced the request's earlier feedback" }, "404": { description: "No such request for this app" }, ...errors },
        },
      },
      "/api/llm/health": {
        get: {
          summary: "Database state, providers (enabled, key configured, circuit), recorder depth, readiness; never a key. Status code: readiness",
          security: [],
          responses: {
            "200": { description: "Health; the instance is ready", content: { "application/json": { schema: { type: "object" } } } },
            "503": { description: "Health; the instance is not ready (`readiness.reason`)", content: { "application/json": { schema: { type: "object" } } } },
          },
        },
      },
      "/api/llm/health/live": {
        get: {
          summary: "Liveness: 200 while the process serves HTTP",
          security: [],
          responses: { "200": { description: "Live", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/api/llm/health/ready": {
        get: {
          summary: "Readiness: 200 when the instance can serve and account for calls, 503 with a reason (startup_failed, starting, draining, cannot_record)",
          security: [],
          responses: {
            "200": { description: "Ready", content: { "application/json": { schema: { type: "object" } } } },
            "503": { description: "Not ready", content: { "application/json": { schema: { type: "object" } } } },
          },
        },
      },
      "/api/llm/openapi.json": {
        get: {
          summary: "This document (OpenAPI 3.1); rendered for people at /docs",
          security: [],
          responses: { "200": { description: "The OpenAPI document", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/api/metrics": {
        get: {
          summary: "Prometheus metrics (`?format=json` for JSON); bearer METRICS_TOKEN when set",
          security: [{ metricsToken: [] }],
          responses: { "200": { description: "Prometheus text format" }, "401": errors["401"] },
        },
      },
    },
    components: {
      securitySchemes: {
        appKey: { type: "http", scheme: "bearer", description: "An app key from the dashboard's API keys page" },
        metricsToken: { type: "http", scheme: "bearer" },
      },
      schemas: { Error: error, AnthropicError: anthropicError },
    },
  };
}
