import { isRecord } from "@/lib/providers/json";

/**
 * Finish reasons some OpenAI-shaped providers add to OpenAI's (stop, length, tool_calls,
 * content_filter), mapped for OpenAI clients, whose SDKs and parsers know only those:
 * Mistral's `model_length` (the model's context is full) is OpenAI's `length`; `error` (Mistral,
 * and OpenRouter's normalised reason when the provider failed mid-answer) means the answer
 * stopped unfinished, which OpenAI clients understand as `length` too (a plain `stop` would claim
 * a complete answer). The tokens were billed, so the call stays answered and priced.
 */
export type FinishReasonMap = Readonly<Record<string, string>>;

export const MISTRAL_FINISH_REASONS: FinishReasonMap = { model_length: "length", error: "length" };
export const OPENROUTER_FINISH_REASONS: FinishReasonMap = { error: "length" };

/** The choices with their finish reasons mapped, or null when none needed it (the body goes on as received). */
export function mappedChoices(choices: unknown, map: FinishReasonMap | undefined): unknown[] | null {
  if (!map || !Array.isArray(choices)) return null;
  const needs = (c: unknown) => isRecord(c) && typeof c.finish_reason === "string" && Object.hasOwn(map, c.finish_reason);
  if (!choices.some(needs)) return null;
  return choices.map((c) => (needs(c) ? { ...(c as Record<string, unknown>), finish_reason: map[(c as { finish_reason: string }).finish_reason] } : c));
}
