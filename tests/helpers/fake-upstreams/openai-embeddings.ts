import { startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * POST {base}/embeddings as OpenAI and Mistral answer it, validating the request as they do:
 * OpenAI refuses unknown fields ("Unrecognized request argument supplied"), an empty or
 * malformed `input` ("'$.input' is invalid"), more than 2048 inputs, an `encoding_format` other
 * than float/base64 and `dimensions` on a model without it; Mistral (`mistral: true`) refuses
 * any field outside its request with 422 extra_forbidden, token arrays, and answers floats only.
 * Vectors are deterministic (fakeEmbedding), float32 values, so tests compare them exactly.
 */
const OPENAI_FIELDS = new Set(["input", "model", "encoding_format", "dimensions", "user"]);
const MISTRAL_FIELDS = new Set(["input", "model", "output_dimension", "output_dtype"]);
export const FAKE_EMBEDDING_DIMENSIONS = 16;

/** The fake's vector for one input: float32 values derived from the text. */
export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  let h = 7;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 1_000_003;
  return Array.from({ length: dimensions }, (_, i) => Math.fround((((h + i * 7919) % 2001) - 1000) / 1000));
}

/** The fake's token count: about four characters a token; a token array counts its length. */
export function fakeEmbeddingTokens(item: string | number[]): number {
  return typeof item === "string" ? Math.ceil(item.length / 4) : item.length;
}

function items(input: unknown): (string | number[])[] | null {
  if (typeof input === "string") return input.length > 0 ? [input] : null;
  if (!Array.isArray(input) || input.length === 0 || input.length > 2048) return null;
  if (input.every((v) => Number.isInteger(v) && v >= 0)) return [input as number[]];
  if (input.every((v) => typeof v === "string" && v.length > 0)) return input as string[];
  if (input.every((v) => Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t) && t >= 0))) return input as number[][];
  return null;
}

function refuseOpenAI(req: RecordedRequest): { status: number; message: string; errorType?: string } | null {
  if (!req.path.endsWith("/v1/embeddings")) return { status: 404, message: `Invalid URL (POST ${req.path})`, errorType: "invalid_request_error" };
  if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) return { status: 401, message: "You didn't provide an API key.", errorType: "invalid_request_error" };
  const unknown = Object.keys(req.body).find((k) => !OPENAI_FIELDS.has(k));
  if (unknown) return { status: 400, message: `Unrecognized request argument supplied: ${unknown}`, errorType: "invalid_request_error" };
  if (typeof req.body.model !== "string") return { status: 400, message: "you must provide a model parameter", errorType: "invalid_request_error" };
  if (!items(req.body.input)) return { status: 400, message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", errorType: "invalid_request_error" };
  const format = req.body.encoding_format;
  if (format !== undefined && format !== "float" && format !== "base64") return { status: 400, message: `Invalid value for 'encoding_format': ${String(format)}`, errorType: "invalid_request_error" };
  const dims = req.body.dimensions;
  if (dims !== undefined && (!req.body.model.startsWith("text-embedding-3") || !Number.isInteger(dims) || (dims as number) < 1)) {
    return { status: 400, message: "This model does not support specifying dimensions.", errorType: "invalid_request_error" };
  }
  return null;
}

function refuseMistral(req: RecordedRequest): { status: number; message: string; errorType?: string } | null {
  if (!req.path.endsWith("/v1/embeddings")) return { status: 404, message: "Not Found" };
  const extra = Object.keys(req.body).find((k) => !MISTRAL_FIELDS.has(k));
  if (extra) return { status: 422, message: `extra_forbidden: ${extra}: Extra inputs are not permitted`, errorType: "invalid_request_error" };
  const list = items(req.body.input);
  if (!list || list.some((item) => typeof item !== "string")) return { status: 422, message: "input: Input should be a valid string or list of strings", errorType: "invalid_request_error" };
  return null;
}

function toBase64(vector: number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}

export function embeddingsWire({ mistral = false }: { mistral?: boolean } = {}): Wire {
  return {
    isStream: () => false,
    json: (req) => {
      const list = items(req.body.input) ?? [];
      const dims = (mistral ? req.body.output_dimension : req.body.dimensions) as number | undefined;
      const base64 = !mistral && req.body.encoding_format === "base64";
      const prompt = list.reduce((n, item) => n + fakeEmbeddingTokens(item), 0);
      const data = list.map((item, index) => {
        const v = fakeEmbedding(typeof item === "string" ? item : item.join(","), dims ?? FAKE_EMBEDDING_DIMENSIONS);
        return { object: "embedding", index, embedding: base64 ? toBase64(v) : v };
      });
      return mistral
        ? { id: "embd-fake1", object: "list", data, model: req.body.model, usage: { prompt_tokens: prompt, total_tokens: prompt, completion_tokens: 0 } }
        : { object: "list", data, model: req.body.model, usage: { prompt_tokens: prompt, total_tokens: prompt } };
    },
    frames: () => ({ frames: [], terminal: 0 }),
    errorBody: (status, message, errorType) =>
      mistral ? { object: "error", message, type: errorType ?? "invalid_request_error", code: status } : { error: { message, type: errorType ?? "server_error", param: null, code: null } },
    errorFrame: () => "",
    refuse: (req) => (mistral ? refuseMistral(req) : refuseOpenAI(req)),
  };
}

export function startEmbeddingsFake(options: { mistral?: boolean } = {}): Promise<FakeUpstream> {
  return startFakeUpstream(embeddingsWire(options));
}
