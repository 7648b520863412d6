import { z } from "zod";

/**
 * Request bodies of the gateway routes. The fields we route and account by are validated here;
 * every other chat field is checked against the target provider's allow-list before the call
 * (lib/providers/request-fields.ts): forwarded when the provider takes it, else a 400.
 */
const label = z.string().trim().min(1).max(100);
const slugOrId = z.string().trim().min(1).max(100);

/** The most choices (`n`) one chat completion may ask for. */
export const MAX_CHOICES = 8;

export const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]),
  name: z.string().max(200).optional(),
  tool_calls: z.array(z.unknown()).optional(),
  tool_call_id: z.string().max(200).optional(),
});

/** Routing and accounting metadata: body `metadata` or `x-llm-*` headers. */
export const callMetadataSchema = z.object({
  action: label.regex(/^[a-z][a-z0-9_.-]*$/, "action must be lower-case letters, digits, _ . -").optional(),
  organization: slugOrId.optional(),
  pipeline_stage: label.optional(),
  request_type: label.optional(),
  purpose: label.optional(),
  user_id: z.string().trim().min(1).max(200).optional(),
  related_entity_type: label.optional(),
  related_entity_id: z.string().trim().min(1).max(200).optional(),
});
export type CallMetadata = z.infer<typeof callMetadataSchema>;

export const chatCompletionSchema = z.looseObject({
  model: z.string().trim().min(1, "model is required (\"auto\", an action name or a model)").max(200),
  messages: z.array(messageSchema).min(1, "messages must contain at least one message").max(1000),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullish(),
  // Bounded: every choice is billed (fan-out calls the provider n times), so a tenant cannot
  // multiply a call's cost without limit. Providers that cannot give n choices refuse n > 1.
  n: z.number().int().min(1).max(MAX_CHOICES, `n may be at most ${MAX_CHOICES}: each choice is billed`).nullish(),
  user: z.string().max(200).optional(),
  metadata: z.record(z.string(), z.string().max(500)).optional(),
});
export type ChatCompletionBody = z.infer<typeof chatCompletionSchema>;

export const generateSchema = z
  .object({
    action: label.regex(/^[a-z][a-z0-9_.-]*$/, "action must be lower-case letters, digits, _ . -"),
    organization_id: slugOrId.optional(),
    organization: slugOrId.optional(),
    messages: z.array(messageSchema).min(1).max(1000).optional(),
    prompt: z.string().min(1).max(1_000_000).optional(),
    system: z.string().max(200_000).optional(),
    params: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        max_tokens: z.number().int().positive().max(1_000_000).optional(),
        top_p: z.number().min(0).max(1).optional(),
      })
      .optional(),
    metadata: callMetadataSchema.omit({ action: true, organization: true }).optional(),
    stream: z.boolean().optional(),
    explain: z.boolean().optional(),
  })
  .refine((b) => b.messages !== undefined || b.prompt !== undefined, {
    message: "either messages or prompt is required",
    path: ["messages"],
  });
export type GenerateBody = z.infer<typeof generateSchema>;

export const feedbackSchema = z.object({
  request_id: z.guid("request_id must be the request_id (a UUID) returned by the gateway"),
  quality_score: z.number().int().min(1).max(5),
  is_correct: z.boolean().optional(),
  comment: z.string().max(4000).optional(),
});
export type FeedbackBody = z.infer<typeof feedbackSchema>;

/** The first issue of a failed parse as one readable line, and the field it concerns. */
export function describeIssue(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  if (!issue) return { message: "Invalid request body.", param: null };
  const param = issue.path.length ? issue.path.join(".") : null;
  return { message: param ? `${param}: ${issue.message}` : issue.message, param };
}
