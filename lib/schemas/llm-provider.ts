import { z } from "zod";

/**
 * Providers (llm_providers). The API key itself never enters the database: a provider names the
 * environment variable holding it, and the name must match the same pattern as the table's check,
 * so nobody can point a provider at DATABASE_URL or the Supabase service-role key and have the
 * gateway send that secret to an arbitrary base URL.
 */

export const API_KEY_ENV_VAR_PATTERN = /^[A-Z][A-Z0-9_]*_API_KEY$/;

export const PROVIDER_KINDS = ["openai", "anthropic", "mistral", "google", "openrouter", "openai_compatible", "mock"] as const;

/** Kinds that work without a key (a local server, the mock); the table requires one for the others. */
export const KEYLESS_KINDS: readonly string[] = ["mock", "openai_compatible"];

export const apiKeyEnvVarSchema = z
  .string()
  .trim()
  .regex(API_KEY_ENV_VAR_PATTERN, "Upper-case letters, digits and _, ending in _API_KEY (e.g. OPENAI_API_KEY).");

export const providerEnabledSchema = z.object({
  id: z.uuid({ message: "Unknown provider." }),
  enabled: z.boolean(),
});
export type ProviderEnabledInput = z.infer<typeof providerEnabledSchema>;

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const wholeNumber = (min: number, max: number, unit: string) =>
  z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(min, `At least ${min.toLocaleString("en")} ${unit}.`)
    .max(max, `At most ${max.toLocaleString("en")} ${unit}.`);

/**
 * Add (no id) or edit (id) a provider. The code is its stable name in routing traces and
 * metrics, so it is set once; everything else may change. Same bounds as the table's checks.
 */
export const providerFormSchema = z
  .object({
    id: z.uuid({ message: "Unknown provider." }).optional(),
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, "2-63 lower-case letters, digits, - or _, e.g. azure-eu."),
    name: z.string().trim().min(1, "Give the provider a name.").max(100, "At most 100 characters."),
    kind: z.enum(PROVIDER_KINDS, { message: "Choose a kind." }),
    /** Empty = the kind's public endpoint. */
    baseUrl: z.preprocess(
      blankToNull,
      z
        .string()
        .trim()
        .max(500, "At most 500 characters.")
        .regex(/^https?:\/\/[^\s]+$/, "An http(s) URL, e.g. https://api.example.com/v1.")
        .refine((v) => URL.canParse(v), "Not a valid URL.")
        .nullable(),
    ),
    /** Empty = no key (only for mock and OpenAI-compatible providers). */
    apiKeyEnvVar: z.preprocess(blankToNull, apiKeyEnvVarSchema.nullable()),
    timeoutMs: wholeNumber(100, 600_000, "ms"),
    maxRetries: wholeNumber(0, 10, "retries"),
  })
  .superRefine((v, ctx) => {
    if (v.apiKeyEnvVar === null && !KEYLESS_KINDS.includes(v.kind)) {
      ctx.addIssue({ code: "custom", path: ["apiKeyEnvVar"], message: `A ${v.kind} provider needs the name of the variable holding its key.` });
    }
    if (v.baseUrl === null && v.kind === "openai_compatible") {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "An OpenAI-compatible server needs its base URL." });
    }
  });
export type ProviderFormInput = z.infer<typeof providerFormSchema>;
export type ProviderFormValues = z.input<typeof providerFormSchema>;
