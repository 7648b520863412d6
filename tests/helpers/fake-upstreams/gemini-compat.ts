import { instanceOf } from "@/tests/helpers/fake-upstreams/anthropic";
import { GEMINI_MODEL_VERSION, GEMINI_USAGE, geminiWire } from "@/tests/helpers/fake-upstreams/gemini";
import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * The Gemini fake (gemini.ts, whose validation it keeps) following the request as the real model
 * does, for the client compatibility matrix: a forced function call (`toolConfig.
 * functionCallingConfig.mode` ANY) → one `functionCall` part whose args match the declaration's
 * parameters; a JSON response (`responseMimeType: application/json` with `responseSchema` or
 * `responseJsonSchema`) → JSON text matching the schema. Besides gemini.ts's checks it refuses,
 * as generateContent does, a path that is not a model method, empty `contents`, a role other than
 * user/model, a function response turn that does not come right after the function call turn,
 * and inline data without a mime type or base64 data.
 */
type Refusal = { status: number; message: string; errorType?: string } | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const invalid = (message: string): Refusal => ({ status: 400, message });
const METHOD = /^\/v1beta\/models\/[^/:]+:(generateContent|streamGenerateContent)$/;

/** Gemini's OpenAPI-style schemas may spell types in capitals ("OBJECT"); instanceOf reads lower case. */
function lowerTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerTypes);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "type" && typeof v === "string" ? v.toLowerCase() : lowerTypes(v)]));
}

function partsOf(content: unknown): Record<string, unknown>[] {
  return isObject(content) && Array.isArray(content.parts) ? content.parts.filter(isObject) : [];
}

function refuseContents(contents: unknown): Refusal {
  if (!Array.isArray(contents) || contents.length === 0) return invalid("* GenerateContentRequest.contents: contents is not specified");
  for (const [i, c] of contents.entries()) {
    if (!isObject(c) || (c.role !== "user" && c.role !== "model")) return invalid(`Please use a valid role: user, model. (contents[${i}])`);
    const parts = partsOf(c);
    if (parts.length === 0) return invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    for (const p of parts) {
      if ("inlineData" in p) {
        const d = p.inlineData;
        if (!isObject(d) || typeof d.mimeType !== "string" || typeof d.data !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(d.data)) {
          return invalid(`* GenerateContentRequest.contents[${i}].parts: inline_data needs mime_type and base64 data`);
        }
      }
    }
    if (parts.some((p) => "functionResponse" in p)) {
      const previous = i > 0 ? partsOf(contents[i - 1]) : [];
      const called = new Set(previous.map((p) => (isObject(p.functionCall) ? p.functionCall.name : undefined)).filter((n) => typeof n === "string"));
      const answered = parts.map((p) => (isObject(p.functionResponse) ? p.functionResponse.name : undefined)).filter((n) => n !== undefined);
      if (called.size === 0 || answered.some((n) => !called.has(n as string))) {
        return invalid("Please ensure that function response turn comes immediately after a function call turn.");
      }
    }
  }
  return null;
}

function forcedFunction(body: Record<string, unknown>): Record<string, unknown> | null {
  const config = isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : null;
  if (!config || config.mode !== "ANY") return null;
  const declarations = (Array.isArray(body.tools) ? body.tools.filter(isObject) : []).flatMap((t) => (Array.isArray(t.functionDeclarations) ? t.functionDeclarations.filter(isObject) : []));
  const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames : null;
  return declarations.find((d) => !allowed || allowed.includes(d.name)) ?? null;
}

function jsonText(body: Record<string, unknown>): string | null {
  const config = isObject(body.generationConfig) ? body.generationConfig : null;
  if (!config || config.responseMimeType !== "application/json") return null;
  const schema = config.responseJsonSchema ?? config.responseSchema;
  return JSON.stringify(schema === undefined ? { fake: true } : instanceOf(lowerTypes(schema)));
}

function answer(parts: unknown[]) {
  return {
    candidates: [{ content: { parts, role: "model" }, finishReason: "STOP", index: 0 }],
    usageMetadata: GEMINI_USAGE,
    modelVersion: GEMINI_MODEL_VERSION,
    responseId: "fake-response-1",
  };
}

export function geminiCompatWire(): Wire {
  const base = geminiWire();
  const special = (req: RecordedRequest): unknown[] | null => {
    const fn = forcedFunction(req.body);
    if (fn) return [{ functionCall: { name: String(fn.name), args: instanceOf(lowerTypes(fn.parameters)) } }];
    const text = jsonText(req.body);
    return text === null ? null : [{ text }];
  };
  return {
    ...base,
    json: (req) => {
      const parts = special(req);
      return parts ? answer(parts) : base.json(req);
    },
    frames: (req) => {
      const parts = special(req);
      return parts ? { frames: [sseFrame(answer(parts), undefined, "\r\n")], terminal: 1 } : base.frames(req);
    },
    refuse: (req) => {
      if (!METHOD.test(req.path)) return { status: 404, message: `Method not found: ${req.path}` };
      if (typeof req.headers["x-goog-api-key"] !== "string") return { status: 400, message: "API key not valid. Please pass a valid API key." };
      return base.refuse?.(req) ?? refuseContents(req.body.contents);
    },
  };
}

export function startGeminiCompatFake(): Promise<FakeUpstream> {
  return startFakeUpstream(geminiCompatWire());
}
