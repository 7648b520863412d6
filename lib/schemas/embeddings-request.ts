import { z } from "zod";

/**
 * POST /api/llm/v1/embeddings: OpenAI's embeddings request (API reference and openai-node 6.x
 * EmbeddingCreateParams), validated as OpenAI validates it: `input` a non-empty string, up to
 * 2048 non-empty strings, a non-empty token array, or up to 2048 of them; `encoding_format`
 * float or base64; `dimensions` a positive integer. `metadata` is the gateway's (routing and
 * attribution, as on chat). Any other field is a 400 naming it: nothing is dropped.
 */
export const MAX_EMBEDDING_INPUTS = 2048;
/** OpenAI's cap of one input (8192 tokens) as characters, generously: the provider counts tokens. */
export const MAX_EMBEDDING_INPUT_CHARS = 200_000;

export const EMBEDDING_FIELDS: ReadonlySet<string> = new Set(["model", "input", "encoding_format", "dimensions", "user", "metadata"]);

type EmbeddingInput = string | string[] | number[] | number[][];

const isTokenId = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** What is wrong with `input`, in OpenAI's terms, or null. */
export function inputProblem(input: unknown): string | null {
  const kinds = "a string, an array of strings, an array of token ids or an array of token-id arrays";
  if (typeof input === "string") {
    if (input.length === 0) return "must not be an empty string";
    return input.length > MAX_EMBEDDING_INPUT_CHARS ? `is longer than ${MAX_EMBEDDING_INPUT_CHARS} characters` : null;
  }
  if (!Array.isArray(input)) return input === undefined ? "is required" : `must be ${kinds}`;
  if (input.length === 0) return "must not be empty";
  if (typeof input[0] === "number") {
    const bad = input.findIndex((v) => !isTokenId(v));
    return bad < 0 ? null : `item ${bad} must be a token id (a non-negative integer), as the other items are`;
  }
  if (input.length > MAX_EMBEDDING_INPUTS) return `has ${input.length} items; at most ${MAX_EMBEDDING_INPUTS} per request`;
  const strings = typeof input[0] === "string";
  for (const [i, item] of input.entries()) {
    if (strings) {
      if (typeof item !== "string") return `item ${i} must be a string, as item 0 is`;
      if (item.length === 0) return `item ${i} must not be an empty string`;
      if (item.length > MAX_EMBEDDING_INPUT_CHARS) return `item ${i} is longer than ${MAX_EMBEDDING_INPUT_CHARS} characters`;
    } else {
      if (!Array.isArray(item)) return `item ${i} must be ${Array.isArray(input[0]) ? "a token-id array, as item 0 is" : kinds}`;
      if (item.length === 0) return `item ${i} must not be an empty token array`;
      if (!item.every(isTokenId)) return `item ${i} must hold token ids (non-negative integers)`;
    }
  }
  return null;
}

const inputSchema = z.custom<EmbeddingInput>((v) => inputProblem(v) === null, {
  error: (issue) => inputProblem(issue.input) ?? "is invalid",
});

export const embeddingsSchema = z
  .looseObject({
    model: z.string().trim().min(1, "model is required (an embedding model, or an action name)").max(200),
    input: inputSchema,
    encoding_format: z.enum(["float", "base64"]).optional(),
    dimensions: z.number().int().positive().max(16_384).optional(),
    user: z.string().max(200).optional(),
    metadata: z.record(z.string(), z.string().max(500)).optional(),
  })
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body)) {
      if (!EMBEDDING_FIELDS.has(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: "is not a field of the embeddings request; remove it" });
        return;
      }
    }
  });
export type EmbeddingsBody = z.infer<typeof embeddingsSchema>;

/** The inputs one by one: a string or one token array is one input. */
export function embeddingInputs(input: EmbeddingsBody["input"]): (string | number[])[] {
  if (typeof input === "string") return [input];
  if (input.length > 0 && typeof input[0] === "number") return [input as number[]];
  return input as (string | number[])[];
}
