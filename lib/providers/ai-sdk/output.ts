import type { jsonSchema, OutputInterface } from "ai";
import type { ChatRequest } from "@/lib/providers/types";

/**
 * OpenAI's `response_format` → the AI SDK's structured-output request (`responseFormat: json`),
 * which each provider package translates (Anthropic: native `output_config.format` where the
 * model and schema allow it, else a forced "json" tool whose input becomes the text). The answer
 * is passed back as the model wrote it, like OpenAI does: the SDK's own parse-and-validate step is
 * replaced by the identity, so a model's imperfect JSON reaches the client (whose `parse` judges
 * it) instead of failing the call after it was billed.
 *
 * json_object has no schema; the SDK ignores a JSON format without one, so it is sent as the
 * schema of "any object" (a forced tool for Anthropic). Values other than text, json_object and
 * json_schema are refused before the call (lib/providers/anthropic/fields.ts).
 */
type JSONSchema7 = Exclude<Parameters<typeof jsonSchema>[0], PromiseLike<unknown> | (() => unknown)>;
const ANY_OBJECT: JSONSchema7 = { type: "object" };

export function toOutput(request: ChatRequest): OutputInterface<string, undefined, never> | undefined {
  const format = request.response_format as { type?: unknown; json_schema?: { name?: unknown; description?: unknown; schema?: unknown } } | null | undefined;
  if (!format || format.type === "text") return undefined;
  const spec = format.type === "json_schema" ? format.json_schema : undefined;
  const responseFormat = {
    type: "json" as const,
    schema: (spec?.schema as JSONSchema7 | undefined) ?? ANY_OBJECT,
    ...(typeof spec?.name === "string" ? { name: spec.name } : {}),
    ...(typeof spec?.description === "string" ? { description: spec.description } : {}),
  };
  return {
    name: "object",
    responseFormat: Promise.resolve(responseFormat),
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async () => undefined,
    createElementStreamTransform: () => undefined,
  };
}
