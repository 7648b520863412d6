import { z } from "zod";

/**
 * Query parameters of the admin learning routes (strings from the URL). `dry_run` defaults to
 * TRUE: a retrain changes routing for every client of an app, so writing must be asked for
 * explicitly (`dry_run=false`); a forgotten parameter only previews.
 */
const queryBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD");

/** How many learned overrides the Feedback page lists (its table says so when it is cut there). */
export const OVERRIDE_LIMIT = 100;
/** How many retrain runs it lists. */
export const RUN_LIMIT = 10;

export const confidenceSchema = z.enum(["low", "medium", "high"]);

export const retrainQuerySchema = z.strictObject({
  dry_run: queryBool.default(true),
  min_samples: z.coerce.number().int().min(1).max(100_000).optional(),
  confidence_threshold: confidenceSchema.optional(),
  tolerance: z.coerce.number().min(0).max(4).optional(),
  window_days: z.coerce.number().int().min(1).max(365).default(30),
});
export type RetrainQuery = z.infer<typeof retrainQuerySchema>;

export const statusQuerySchema = z.strictObject({
  window_days: z.coerce.number().int().min(1).max(365).default(30),
});

export const summaryQuerySchema = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    app_id: z.uuid().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });
export type SummaryQuery = z.infer<typeof summaryQuerySchema>;

/**
 * The Feedback page's retrain form (server action input). Same bounds as the route's query; the
 * form sends min_samples as typed text, so it is coerced, with messages a person can act on.
 */
export const retrainFormSchema = z.strictObject({
  dry_run: z.boolean(),
  min_samples: z.coerce
    .number({ error: "Enter a number." })
    .int("Use a whole number.")
    .min(1, "At least 1 sample.")
    .max(100_000, "At most 100,000 samples."),
  confidence_threshold: z.enum(confidenceSchema.options, { error: "Choose high, medium or low." }),
});
export type RetrainFormInput = z.input<typeof retrainFormSchema>;
