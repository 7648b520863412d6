import { fanOutRefusal, isSet, responseFormatRefusal, toolChoiceRefusal, type FieldContext, type ValueRefusal } from "@/lib/providers/ai-sdk/fields";

/**
 * OpenAI chat field values Gemini (generateContent through @ai-sdk/google) cannot honour. The
 * fields are on the google allow-list (lib/providers/request-fields.ts) because other values
 * translate; these would otherwise be dropped by the SDK with only a warning, or refused by
 * Gemini after the call was attempted. Each is a 400 naming the field, before anything is sent:
 *
 * - logprobs: true / top_logprobs: @ai-sdk/google carries no responseLogprobs, so log
 *   probabilities cannot be asked for or returned (logprobs: false passes).
 * - parallel_tool_calls: false: Gemini has no switch to make the model call at most one function
 *   per turn (true, OpenAI's default, is what Gemini does and passes).
 * - stop with more than 5 sequences: Gemini's stopSequences takes at most 5.
 * - presence_penalty / frequency_penalty on Gemini 2.5 models: Gemini 2.5 does not take penalties
 *   ("Penalty is not enabled"), and the SDK leaves them out for those models; other models get
 *   generationConfig.presencePenalty / frequencyPenalty.
 * - response_format other than text, json_object or json_schema with a schema.
 * - tool_choice without tools, or of another shape than auto/none/required/a named function.
 * - n > 1 with stream: true (fan-out is for non-streamed calls).
 */
export const GEMINI_MAX_STOP_SEQUENCES = 5;

/** The models @ai-sdk/google sends no penalties for (its gemini25ModelPattern), as Gemini 2.5 refuses them. */
const GEMINI_25 = /(^|\/)gemini-2\.5(?:[.-]|$)/i;

export function googleValueRefusal(request: Record<string, unknown>, ctx: FieldContext): ValueRefusal | null {
  if (request.logprobs === true) return { field: "logprobs", why: "log probabilities are not available from Gemini through this gateway" };
  if (isSet(request.top_logprobs)) return { field: "top_logprobs", why: "log probabilities are not available from Gemini through this gateway" };
  if (request.parallel_tool_calls === false) {
    return { field: "parallel_tool_calls", why: "Gemini has no switch limiting a turn to one function call (true, the default, passes)" };
  }
  if (Array.isArray(request.stop) && request.stop.length > GEMINI_MAX_STOP_SEQUENCES) {
    return { field: "stop", why: `Gemini takes at most ${GEMINI_MAX_STOP_SEQUENCES} stop sequences; the request has ${request.stop.length}` };
  }
  if (ctx.modelCode && GEMINI_25.test(ctx.modelCode)) {
    for (const field of ["presence_penalty", "frequency_penalty"]) {
      if (isSet(request[field])) return { field, why: `Gemini 2.5 models (${ctx.modelCode}) take no penalties` };
    }
  }
  return responseFormatRefusal(request.response_format, "Gemini") ?? toolChoiceRefusal(request) ?? fanOutRefusal(request, ctx);
}
