import { z } from "zod";

/**
 * The body of POST /api/llm/v1/responses (OpenAI's Responses API, openai-node 6.x
 * ResponseCreateParams), as far as its types go. Which fields are translated to the gateway's
 * chat form and which are refused (stateful ones: store, previous_response_id, background,
 * conversation, prompt) is lib/gateway/translate/responses-request.ts: every field is one or
 * the other, so unknown fields are kept here (looseObject) and refused there by name.
 */
const nullableNumber = (min: number, max: number) => z.number().min(min).max(max).nullish();

export const RESPONSES_INPUT_MAX_ITEMS = 1000;

export const responsesRequestSchema = z.looseObject({
  model: z.string().trim().min(1, "model is required (\"auto\", an action name or a model)").max(200),
  input: z.union([
    z.string().min(1, "input must not be empty"),
    z.array(z.looseObject({ type: z.string().optional(), role: z.string().optional() })).min(1, "input must contain at least one item").max(RESPONSES_INPUT_MAX_ITEMS),
  ], "input is required: a string or an array of input items"),
  instructions: z.string().max(1_000_000).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).max(128).nullish(),
  tool_choice: z.union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({
    format: z.looseObject({ type: z.string() }).nullish(),
    verbosity: z.enum(["low", "medium", "high"]).nullish(),
  }).nullish(),
  reasoning: z.looseObject({
    effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullish(),
    summary: z.string().nullish(),
    generate_summary: z.string().nullish(),
  }).nullish(),
  max_output_tokens: z.number().int().positive().max(1_000_000).nullish(),
  temperature: nullableNumber(0, 2),
  top_p: nullableNumber(0, 1),
  user: z.string().max(200).optional(),
  metadata: z.record(z.string(), z.string().max(512)).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  store: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  background: z.boolean().nullish(),
});
export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
