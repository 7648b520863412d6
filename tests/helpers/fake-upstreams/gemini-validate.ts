import type { RecordedRequest } from "@/tests/helpers/fake-upstreams/harness";

/**
 * What the real Gemini API (generateContent / streamGenerateContent) refuses with a 400
 * INVALID_ARGUMENT before it generates anything (its API reference, "GenerateContentRequest",
 * "GenerationConfig", "Schema", "ToolConfig", and the errors it answers): unknown fields anywhere
 * in the request (`Unknown name "x" at 'contents[0].parts[0]': Cannot find field.`, e.g. an
 * OpenAI `cache_control` left on a part), no contents, a role other than user/model, more than
 * 5 stop sequences, a temperature outside 0..2, penalties on Gemini 2.5 models ("Penalty is not
 * enabled"), a responseSchema without an application/json responseMimeType or with keys outside
 * Gemini's Schema (additionalProperties, $schema) or an OBJECT without properties, and a
 * functionCallingConfig with an unknown mode, allowedFunctionNames outside mode ANY, names no
 * function declares, or no function declarations at all.
 */
type Refusal = { status: number; message: string; errorType?: string };
const bad = (message: string): Refusal => ({ status: 400, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const REQUEST_FIELDS = new Set(["contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent"]);
const PART_FIELDS = new Set([
  "text", "inlineData", "fileData", "functionCall", "functionResponse", "thought", "thoughtSignature", "executableCode",
  "codeExecutionResult", "videoMetadata",
]);
const GENERATION_FIELDS = new Set([
  "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "candidateCount",
  "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs",
  "logprobs", "thinkingConfig", "mediaResolution", "speechConfig", "imageConfig", "enableEnhancedCivicAnswers",
]);
const SCHEMA_FIELDS = new Set([
  "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
  "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
  "default", "items", "minimum", "maximum",
]);
const SCHEMA_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object", "null"]);
const MIME_TYPES = new Set(["text/plain", "application/json", "application/xml", "application/yaml", "text/x.enum"]);
const MODES = new Set(["AUTO", "ANY", "NONE", "VALIDATED"]);
const unknownName = (name: string, at: string) => bad(`Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`);

function schemaRefusal(schema: unknown, at: string): Refusal | null {
  if (!isObject(schema)) return bad(`* GenerateContentRequest.${at}: must be an object`);
  const extra = Object.keys(schema).find((k) => !SCHEMA_FIELDS.has(k));
  if (extra) return unknownName(extra, at);
  if (schema.type !== undefined && !SCHEMA_TYPES.has(String(schema.type).toLowerCase())) return bad(`* GenerateContentRequest.${at}.type: invalid type ${String(schema.type)}`);
  if (String(schema.type).toLowerCase() === "object") {
    if (!isObject(schema.properties) || Object.keys(schema.properties).length === 0) {
      return bad(`* GenerateContentRequest.${at}.properties: should be non-empty for OBJECT type`);
    }
  }
  if (isObject(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) {
      const r = schemaRefusal(v, `${at}.properties[${k}]`);
      if (r) return r;
    }
  }
  if (schema.items !== undefined) return schemaRefusal(schema.items, `${at}.items`);
  if (Array.isArray(schema.anyOf)) {
    for (const [i, v] of schema.anyOf.entries()) {
      const r = schemaRefusal(v, `${at}.anyOf[${i}]`);
      if (r) return r;
    }
  }
  return null;
}

function contentsRefusal(body: Record<string, unknown>): Refusal | null {
  if (!Array.isArray(body.contents) || body.contents.length === 0) return bad("* GenerateContentRequest.contents: contents is not specified");
  for (const [i, c] of body.contents.entries()) {
    if (!isObject(c)) return bad(`* GenerateContentRequest.contents[${i}]: must be an object`);
    if (c.role !== undefined && c.role !== "user" && c.role !== "model") return bad(`Please use a valid role: user, model.`);
    if (!Array.isArray(c.parts) || c.parts.length === 0) return bad(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    for (const [j, p] of c.parts.entries()) {
      const extra = isObject(p) ? Object.keys(p).find((k) => !PART_FIELDS.has(k)) : undefined;
      if (extra) return unknownName(extra, `contents[${i}].parts[${j}]`);
    }
  }
  const system = body.systemInstruction;
  if (system !== undefined) {
    if (!isObject(system) || !Array.isArray(system.parts)) return bad("* GenerateContentRequest.system_instruction.parts: must be a list");
    for (const [j, p] of system.parts.entries()) {
      const extra = isObject(p) ? Object.keys(p).find((k) => !PART_FIELDS.has(k)) : undefined;
      if (extra) return unknownName(extra, `system_instruction.parts[${j}]`);
    }
  }
  return null;
}

function generationRefusal(config: unknown, model: string): Refusal | null {
  if (config === undefined) return null;
  if (!isObject(config)) return bad("* GenerateContentRequest.generation_config: must be an object");
  const extra = Object.keys(config).find((k) => !GENERATION_FIELDS.has(k));
  if (extra) return unknownName(extra, "generation_config");
  const { temperature, stopSequences, responseMimeType, responseSchema, seed, presencePenalty, frequencyPenalty } = config;
  if (temperature !== undefined && !(typeof temperature === "number" && temperature >= 0 && temperature <= 2)) {
    return bad("* GenerateContentRequest.generation_config.temperature: must be in the range [0.0, 2.0]");
  }
  if (stopSequences !== undefined) {
    if (!Array.isArray(stopSequences) || !stopSequences.every((s) => typeof s === "string")) return bad("* GenerateContentRequest.generation_config.stop_sequences: must be strings");
    if (stopSequences.length > 5) return bad("* GenerateContentRequest.generation_config.stop_sequences: at most 5 stop sequences are allowed");
  }
  if (seed !== undefined && !Number.isInteger(seed)) return bad("* GenerateContentRequest.generation_config.seed: must be an integer");
  if (/(^|\/)gemini-2\.5/.test(model) && (presencePenalty !== undefined || frequencyPenalty !== undefined)) {
    return bad(`Penalty is not enabled for models/${model}`);
  }
  for (const [name, v] of [["presence_penalty", presencePenalty], ["frequency_penalty", frequencyPenalty]] as const) {
    if (v !== undefined && !(typeof v === "number" && v >= -2 && v < 2)) return bad(`* GenerateContentRequest.generation_config.${name}: must be in the range [-2.0, 2.0)`);
  }
  if (responseMimeType !== undefined && !MIME_TYPES.has(String(responseMimeType))) {
    return bad(`* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are ${[...MIME_TYPES].join(", ")}`);
  }
  if (responseSchema !== undefined) {
    if (responseMimeType !== "application/json" && responseMimeType !== "text/x.enum") {
      return bad("* GenerateContentRequest.generation_config.response_schema: only allowed for response_mime_type application/json or text/x.enum");
    }
    return schemaRefusal(responseSchema, "generation_config.response_schema");
  }
  return null;
}

function toolsRefusal(body: Record<string, unknown>): Refusal | null {
  const declared = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return bad("* GenerateContentRequest.tools: must be a list");
    for (const [i, t] of body.tools.entries()) {
      const extra = isObject(t) ? Object.keys(t).find((k) => !["functionDeclarations", "googleSearch", "codeExecution", "urlContext"].includes(k)) : undefined;
      if (extra) return unknownName(extra, `tools[${i}]`);
      const decls = isObject(t) && Array.isArray(t.functionDeclarations) ? t.functionDeclarations : [];
      for (const d of decls) if (isObject(d) && typeof d.name === "string") declared.add(d.name);
    }
  }
  const config = body.toolConfig;
  if (config === undefined) return null;
  if (!isObject(config)) return bad("* GenerateContentRequest.tool_config: must be an object");
  const fcc = config.functionCallingConfig;
  if (fcc === undefined) return null;
  if (!isObject(fcc)) return bad("* GenerateContentRequest.tool_config.function_calling_config: must be an object");
  const extra = Object.keys(fcc).find((k) => k !== "mode" && k !== "allowedFunctionNames");
  if (extra) return unknownName(extra, "tool_config.function_calling_config");
  if (!MODES.has(String(fcc.mode))) return bad(`Invalid value at 'tool_config.function_calling_config.mode' (${String(fcc.mode)})`);
  if (declared.size === 0) return bad("* GenerateContentRequest.tool_config.function_calling_config: function calling config is set without function_declarations.");
  if (fcc.allowedFunctionNames !== undefined) {
    if (fcc.mode !== "ANY" && fcc.mode !== "VALIDATED") return bad("* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: only allowed when mode is ANY");
    const names = Array.isArray(fcc.allowedFunctionNames) ? fcc.allowedFunctionNames : [];
    const unknown = names.find((n) => !declared.has(String(n)));
    if (unknown !== undefined) return bad(`* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: ${String(unknown)} is not a declared function`);
  }
  return null;
}

const PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export function geminiRefusal(req: RecordedRequest): Refusal | null {
  const match = PATH.exec(req.path);
  if (!match || req.method !== "POST") return { status: 404, message: `Not found: ${req.path}` };
  const body = req.body;
  const extra = Object.keys(body).find((k) => !REQUEST_FIELDS.has(k));
  if (extra) return bad(`Invalid JSON payload received. Unknown name "${extra}": Cannot find field.`);
  return contentsRefusal(body) ?? generationRefusal(body.generationConfig, match[1]!) ?? toolsRefusal(body);
}
