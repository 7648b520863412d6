import { sseFrame, startFakeUpstream, type FakeUpstream, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * Gemini API: POST /v1beta/models/{model}:generateContent (JSON) and
 * :streamGenerateContent?alt=sse (CRLF-delimited `data:` frames of GenerateContentResponse;
 * the last one carries finishReason and the full usageMetadata). Errors are Google RPC
 * statuses: `{ error: { code, message, status } }`.
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

function response(text: string, finishReason: string | null, usage: Record<string, number>) {
  return {
    candidates: [
      {
        content: { parts: [{ text }], role: "model" },
        ...(finishReason ? { finishReason } : {}),
        index: 0,
      },
    ],
    usageMetadata: usage,
    modelVersion: GEMINI_MODEL_VERSION,
    responseId: "fake-response-1",
  };
}

export function geminiWire(): Wire {
  return {
    isStream: (req) => req.path.endsWith(":streamGenerateContent"),
    json: () => response(GEMINI_TEXT, "STOP", GEMINI_USAGE),
    frames: () => {
      const partial = { promptTokenCount: GEMINI_USAGE.promptTokenCount, totalTokenCount: GEMINI_USAGE.promptTokenCount };
      const frames = GEMINI_PIECES.map((piece, i) =>
        sseFrame(response(piece, i === GEMINI_PIECES.length - 1 ? "STOP" : null, i === GEMINI_PIECES.length - 1 ? GEMINI_USAGE : partial), undefined, "\r\n"),
      );
      return { frames, terminal: 1 };
    },
    errorBody: (status, message) => ({ error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } }),
    errorFrame: (status, message) =>
      sseFrame({ error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } }, undefined, "\r\n"),
  };
}

export function startGeminiFake(): Promise<FakeUpstream> {
  return startFakeUpstream(geminiWire());
}
