import type { RecordedRequest } from "@/tests/helpers/fake-upstreams/harness";

/**
 * What the real Anthropic Messages API refuses with a 400 invalid_request_error before it
 * generates anything (its API reference, "Create a Message", and the errors it answers): unknown
 * top-level fields ("Extra inputs are not permitted"), a missing max_tokens, temperature or top_p
 * outside 0..1, temperature and top_p together (Claude 4.5 and later), metadata other than
 * user_id, an unknown tool_choice, cache_control other than ephemeral 5m/1h or on more than 4
 * blocks, and an output_config format other than json_schema.
 */
const FIELDS: ReadonlySet<string> = new Set([
  "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
  "tools", "tool_choice", "thinking", "service_tier", "output_config", "container", "mcp_servers", "context_management",
]);

const MAX_CACHE_BREAKPOINTS = 4;

type Refusal = { status: number; message: string; errorType: string };
const bad = (message: string): Refusal => ({ status: 400, message, errorType: "invalid_request_error" });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const inUnitRange = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;

/** Every content block that may carry cache_control: system blocks, message blocks, tools. */
function cacheableBlocks(body: Record<string, unknown>): { at: string; block: Record<string, unknown> }[] {
  const out: { at: string; block: Record<string, unknown> }[] = [];
  if (Array.isArray(body.system)) body.system.forEach((b, i) => isObject(b) && out.push({ at: `system.${i}`, block: b }));
  if (Array.isArray(body.messages)) {
    body.messages.forEach((m, i) => {
      const content = isObject(m) ? m.content : undefined;
      if (Array.isArray(content)) content.forEach((b, j) => isObject(b) && out.push({ at: `messages.${i}.content.${j}`, block: b }));
    });
  }
  if (Array.isArray(body.tools)) body.tools.forEach((t, i) => isObject(t) && out.push({ at: `tools.${i}`, block: t }));
  return out;
}

function cacheControlRefusal(body: Record<string, unknown>): Refusal | null {
  let count = 0;
  for (const { at, block } of cacheableBlocks(body)) {
    const cc = block.cache_control;
    if (cc === undefined || cc === null) continue;
    if (!isObject(cc) || cc.type !== "ephemeral") return bad(`${at}.cache_control.type: Input should be 'ephemeral'`);
    const extra = Object.keys(cc).find((k) => k !== "type" && k !== "ttl");
    if (extra) return bad(`${at}.cache_control.${extra}: Extra inputs are not permitted`);
    if (cc.ttl !== undefined && cc.ttl !== "5m" && cc.ttl !== "1h") return bad(`${at}.cache_control.ttl: Input should be '5m' or '1h'`);
    count += 1;
  }
  if (count > MAX_CACHE_BREAKPOINTS) return bad(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`);
  return null;
}

function toolChoiceRefusal(choice: unknown): Refusal | null {
  if (choice === undefined) return null;
  if (!isObject(choice) || !["auto", "any", "tool", "none"].includes(String(choice.type))) {
    return bad("tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
  }
  const extra = Object.keys(choice).find((k) => !["type", "name", "disable_parallel_tool_use"].includes(k));
  if (extra) return bad(`tool_choice.${choice.type}.${extra}: Extra inputs are not permitted`);
  if (choice.disable_parallel_tool_use !== undefined && typeof choice.disable_parallel_tool_use !== "boolean") {
    return bad(`tool_choice.${choice.type}.disable_parallel_tool_use: Input should be a valid boolean`);
  }
  if (choice.type === "tool" && typeof choice.name !== "string") return bad("tool_choice.tool.name: Field required");
  return null;
}

function outputConfigRefusal(config: unknown): Refusal | null {
  if (config === undefined) return null;
  if (!isObject(config)) return bad("output_config: Input should be a valid dictionary");
  const extra = Object.keys(config).find((k) => k !== "format" && k !== "effort");
  if (extra) return bad(`output_config.${extra}: Extra inputs are not permitted`);
  const format = config.format;
  if (format === undefined) return null;
  if (!isObject(format) || format.type !== "json_schema" || !isObject(format.schema)) {
    return bad("output_config.format: Input should be a json_schema format with a schema");
  }
  return null;
}

export function anthropicRefusal(req: RecordedRequest): Refusal | null {
  if (req.path !== "/v1/messages") return { status: 404, message: `Not found: ${req.path}`, errorType: "not_found_error" };
  const body = req.body;
  const unknown = Object.keys(body).find((k) => !FIELDS.has(k));
  if (unknown) return bad(`${unknown}: Extra inputs are not permitted`);
  if (typeof body.model !== "string") return bad("model: Field required");
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return bad("max_tokens: Field required");
  if (!Array.isArray(body.messages) || body.messages.length === 0) return bad("messages: at least one message is required");
  if (body.temperature !== undefined && !inUnitRange(body.temperature)) return bad("temperature: range: 0..1");
  if (body.top_p !== undefined && !inUnitRange(body.top_p)) return bad("top_p: range: 0..1");
  if (body.temperature !== undefined && body.top_p !== undefined) {
    return bad("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
  }
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) return bad("metadata: Input should be a valid dictionary");
    const extra = Object.keys(body.metadata).find((k) => k !== "user_id");
    if (extra) return bad(`metadata.${extra}: Extra inputs are not permitted`);
    const user = body.metadata.user_id;
    if (user !== undefined && user !== null && (typeof user !== "string" || user.length > 256)) return bad("metadata.user_id: String should have at most 256 characters");
  }
  if (body.stop_sequences !== undefined && !(Array.isArray(body.stop_sequences) && body.stop_sequences.every((s) => typeof s === "string"))) {
    return bad("stop_sequences: Input should be a valid list of strings");
  }
  if (body.tool_choice !== undefined && !Array.isArray(body.tools)) return bad("tool_choice: may only be specified while providing tools");
  return toolChoiceRefusal(body.tool_choice) ?? outputConfigRefusal(body.output_config) ?? cacheControlRefusal(body);
}
