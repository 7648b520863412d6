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

export const providerEnvVarSchema = z.object({
  id: z.uuid({ message: "Unknown provider." }),
  /** Empty = no key (only for mock and OpenAI-compatible providers). */
  apiKeyEnvVar: z.preprocess((v) => (v === "" ? null : v), apiKeyEnvVarSchema.nullable()),
});
export type ProviderEnvVarInput = z.infer<typeof providerEnvVarSchema>;
