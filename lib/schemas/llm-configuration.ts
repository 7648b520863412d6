import { z } from "zod";

/**
 * Routing rules (llm_configurations) as the form, the server actions and the tests see them.
 * The bounds mirror the table's checks, so a bad value is reported next to its field before the
 * database would refuse it (the database still refuses it for anyone who skips the form).
 */

export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 1000;
export const MAX_FALLBACKS = 5;
export const TEMPERATURE_MAX = 2;
export const MAX_TOKENS_MAX = 200_000;

const uuid = z.uuid({ message: "Choose a value from the list." });

/** Empty form fields arrive as "" and mean "not set". */
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const ruleParamsSchema = z.object({
  temperature: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: "Enter a number." }).min(0, "At least 0.").max(TEMPERATURE_MAX, `At most ${TEMPERATURE_MAX}.`).optional(),
  ),
  maxTokens: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: "Enter a whole number." })
      .int("Enter a whole number.")
      .min(1, "At least 1.")
      .max(MAX_TOKENS_MAX, `At most ${MAX_TOKENS_MAX.toLocaleString("en")}.`)
      .optional(),
  ),
});

export const ruleInputSchema = z
  .object({
    /** Set when editing an existing rule. */
    id: uuid.optional(),
    appId: uuid,
    /** null = the app's default rule (platform admins only; the database decides). */
    organizationId: uuid.nullable(),
    actionType: z
      .string()
      .trim()
      .regex(/^(\*|[a-z][a-z0-9_.-]{0,99})$/, "Use lowercase letters, digits, _ . - (starting with a letter), or * for any action."),
    modelId: uuid,
    fallbackModelIds: z.array(uuid).max(MAX_FALLBACKS, `At most ${MAX_FALLBACKS} fallback models.`),
    priority: z.coerce
      .number({ message: "Enter a whole number." })
      .int("Enter a whole number.")
      .min(PRIORITY_MIN, `At least ${PRIORITY_MIN}.`)
      .max(PRIORITY_MAX, `At most ${PRIORITY_MAX}.`),
    enabled: z.boolean(),
    description: z.string().trim().max(500, "At most 500 characters.").optional(),
    /** Set when the admin confirmed a rule for an action no call of the app has used (yet). */
    confirmUnknownAction: z.boolean().optional(),
  })
  .extend(ruleParamsSchema.shape)
  .superRefine((v, ctx) => {
    if (v.fallbackModelIds.includes(v.modelId)) {
      ctx.addIssue({ code: "custom", path: ["fallbackModelIds"], message: "The primary model cannot be its own fallback." });
    }
    if (new Set(v.fallbackModelIds).size !== v.fallbackModelIds.length) {
      ctx.addIssue({ code: "custom", path: ["fallbackModelIds"], message: "A fallback model is listed twice." });
    }
  });

export type RuleInput = z.infer<typeof ruleInputSchema>;
/** What the form holds before validation (numbers are typed as text). */
export type RuleFormValues = z.input<typeof ruleInputSchema>;

/** The priority of the app's defaults, and the one a new rule starts from. */
export const DEFAULT_RULE_PRIORITY = 100;
/** The least a client override starts from: above the usual default of 100. */
export const OVERRIDE_PRIORITY = 200;

/**
 * The priority a new client override starts from: it must win over the defaults it overrides,
 * so 200 (the usual default is 100), or 100 above the highest default for the same app and
 * action when one is already at 200 or more, capped at PRIORITY_MAX. A default starts at 100.
 */
export function defaultRulePriority(organizationId: string | null, defaultPriorities: readonly number[]): number {
  if (organizationId === null) return DEFAULT_RULE_PRIORITY;
  const highest = defaultPriorities.length ? Math.max(...defaultPriorities) : DEFAULT_RULE_PRIORITY;
  return Math.min(PRIORITY_MAX, Math.max(OVERRIDE_PRIORITY, highest + 100));
}

export const ruleIdSchema = z.object({ id: uuid });
export const ruleEnabledSchema = z.object({ id: uuid, enabled: z.boolean() });

export const simulateRouteSchema = z.object({
  appId: uuid,
  organizationId: uuid.nullable(),
  actionType: z.string().trim().min(1, "Enter an action type.").max(100, "At most 100 characters."),
  sampleText: z.string().max(20_000, "At most 20,000 characters."),
});
export type SimulateRouteInput = z.infer<typeof simulateRouteSchema>;

/** The params jsonb stored for a rule: only the keys that were set. */
export function paramsOf(input: Pick<RuleInput, "temperature" | "maxTokens">): Record<string, number> {
  const params: Record<string, number> = {};
  if (input.temperature !== undefined) params.temperature = input.temperature;
  if (input.maxTokens !== undefined) params.max_tokens = input.maxTokens;
  return params;
}
