import { z } from "zod";

/** A new model of a provider (llm_models); the bounds mirror the table's checks. */

/** What a model does (llm_models.kind): chat completions, or embeddings. Routing never mixes them. */
export const MODEL_KINDS = ["chat", "embedding"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const positiveInt = z.preprocess(
  blankToUndefined,
  z.coerce.number({ message: "Enter a whole number." }).int("Enter a whole number.").min(1, "At least 1.").max(100_000_000, "Too large.").optional(),
);

export const modelInputSchema = z.object({
  providerId: z.uuid({ message: "Choose a provider." }),
  modelCode: z
    .string()
    .trim()
    .min(1, "Enter the provider's model code, e.g. gpt-4o-mini.")
    .max(200, "At most 200 characters.")
    .regex(/^\S+$/, "No spaces: use the code exactly as the provider's API expects it."),
  displayName: z.string().trim().min(1, "Enter a display name.").max(200, "At most 200 characters."),
  /** Chat (the default) or embedding: an embedding model only serves /v1/embeddings, a chat model only chat. */
  kind: z.preprocess(blankToUndefined, z.enum(MODEL_KINDS, { message: "Choose chat or embedding." }).default("chat")),
  contextWindow: positiveInt,
  maxOutputTokens: positiveInt,
});

export type ModelInput = z.infer<typeof modelInputSchema>;
export type ModelFormValues = z.input<typeof modelInputSchema>;
