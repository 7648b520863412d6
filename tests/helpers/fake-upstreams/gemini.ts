import { instanceOf } from "@/tests/helpers/fake-upstreams/anthropic";
import { geminiRefusal } from "@/tests/helpers/fake-upstreams/gemini-validate";
import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * Gemini API: POST /v1beta/models/{model}:generateContent (JSON) and
 * :streamGenerateContent?alt=sse (CRLF-delimited `data:` frames of GenerateContentResponse;
 * the last one carries finishReason and the full usageMetadata). Errors are Google RPC
 * statuses: `{ error: { code, message, status } }`. It refuses what the real API refuses
 * (gemini-validate.ts). Like the real model it follows the request: with functionCallingConfig
 * mode ANY a functionCall part for the first allowed function (arguments matching its schema),
 * with responseMimeType application/json JSON text matching responseSchema. `answer` overrides
 * the finish reason, usage or text of the next answers (tests set it).
 */
export const GEMINI_TEXT = "Hello from fake Gemini.";
export const GEMINI_PIECES = ["Hello", " from fake", " Gemini."];
export const GEMINI_USAGE = {
  promptTokenCount: 20,
  cachedContentTokenCount: 6,
  candidatesTokenCount: 8,
  thoughtsTokenCount: 3,
  totalTokenCount: 31,
};
export const GEMINI_MODEL_VERSION = "gemini-fake-2.5-flash-001";

export interface GeminiAnswer {
  finishReason?: string;
  usage?: Record<string, number>;
  text?: string;
}

export type GeminiFake = FakeUpstream & { answer: GeminiAnswer };

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type Part = { text: string } | { functionCall: { name: string; args: unknown } };

/** What the model answers: a forced function call, JSON for a JSON mime type, else text. */
function partsFor(req: RecordedRequest, answer: GeminiAnswer): Part[] {
  const body = req.body;
  const fcc = isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : null;
  if (fcc?.mode === "ANY") {
    const decls = (Array.isArray(body.tools) ? body.tools : []).flatMap((t) => (isObject(t) && Array.isArray(t.functionDeclarations) ? t.functionDeclarations : [])).filter(isObject);
    const allowed = Array.isArray(fcc.allowedFunctionNames) ? fcc.allowedFunctionNames : null;
    const fn = decls.find((d) => !allowed || allowed.includes(d.name)) ?? decls[0];
    return [{ functionCall: { name: String(fn?.name), args: instanceOf(fn?.parameters) } }];
  }
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  if (config.responseMimeType === "application/json") {
    return [{ text: JSON.stringify(config.responseSchema ? instanceOf(config.responseSchema) : { fake: true }) }];
  }
  return [{ text: answer.text ?? GEMINI_TEXT }];
}

function response(parts: Part[], finishReason: string | null, usage: Record<string, number>) {
  return {
    candidates: [
      {
        content: { parts, role: "model" },
        ...(finishReason ? { finishReason } : {}),
        index: 0,
      },
    ],
    usageMetadata: usage,
    modelVersion: GEMINI_MODEL_VERSION,
    responseId: "fake-response-1",
  };
}

/** Three pieces of a text, the fixed ones for the default text (tests cut between them). */
function piecesOf(text: string): string[] {
  if (text === GEMINI_TEXT) return GEMINI_PIECES;
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter((p) => p !== "");
}

export function geminiWire(answer: GeminiAnswer = {}): Wire {
  const usageOf = () => answer.usage ?? GEMINI_USAGE;
  const finishOf = () => answer.finishReason ?? "STOP";
  return {
    isStream: (req) => req.path.endsWith(":streamGenerateContent"),
    json: (req) => response(partsFor(req, answer), finishOf(), usageOf()),
    frames: (req) => {
      const usage = usageOf();
      const partial = { promptTokenCount: usage.promptTokenCount ?? 0, totalTokenCount: usage.promptTokenCount ?? 0 };
      const parts = partsFor(req, answer);
      const chunks: Part[][] = parts.length === 1 && "text" in parts[0]! ? piecesOf(parts[0].text).map((text) => [{ text }]) : [parts];
      const frames = chunks.map((p, i) => {
        const last = i === chunks.length - 1;
        return sseFrame(response(p, last ? finishOf() : null, last ? usage : partial), undefined, "\r\n");
      });
      return { frames, terminal: 1 };
    },
    errorBody: (status, message) => ({ error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } }),
    errorFrame: (status, message) =>
      sseFrame({ error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } }, undefined, "\r\n"),
    refuse: geminiRefusal,
  };
}

export async function startGeminiFake(): Promise<GeminiFake> {
  const answer: GeminiAnswer = {};
  const fake = await startFakeUpstream(geminiWire(answer));
  const reset = fake.reset;
  return Object.assign(fake, {
    answer,
    reset: () => {
      reset();
      for (const k of Object.keys(answer) as (keyof GeminiAnswer)[]) delete answer[k];
    },
  });
}
