import { z } from "zod";

/** App keys (api_keys). Only the prefix and a SHA-256 hash are stored; the key is shown once. */

export const API_KEY_SCOPES = ["llm", "feedback", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** `llmcp_` + 32 base62 characters: ~190 bits of randomness. */
export const KEY_PREFIX = "llmcp_";
export const KEY_RANDOM_LENGTH = 32;
/** Characters of the key kept in the clear to recognise it in lists. */
export const STORED_PREFIX_LENGTH = 12;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const keyName = z.string().trim().min(1, "Give the key a name, e.g. where it is used.").max(100, "At most 100 characters.");
const keyScopes = z
  .array(z.enum(API_KEY_SCOPES, { message: "Unknown scope." }))
  .min(1, "Choose at least one scope.")
  .refine((s) => new Set(s).size === s.length, "A scope is listed twice.");
/**
 * Empty = the gateway's default (the typed setting gateway.default_rate_limit_per_minute), never
 * unlimited. Above the default only a platform admin may go (the database checks it).
 */
const keyRateLimit = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "At least 1.")
    .max(1_000_000, "At most 1,000,000.")
    .optional(),
);
/** Empty = gateway.default_max_concurrent_per_key. */
const keyMaxConcurrent = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "At least 1.")
    .max(10_000, "At most 10,000.")
    .optional(),
);

export const createKeySchema = z.object({
  appId: z.uuid({ message: "Choose an app." }),
  /** null = not pinned (platform admins only; the database refuses it for org admins). */
  organizationId: z.uuid({ message: "Choose an organization." }).nullable(),
  name: keyName,
  scopes: keyScopes,
  rateLimitPerMinute: keyRateLimit,
  maxConcurrent: keyMaxConcurrent,
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;
export type CreateKeyFormValues = z.input<typeof createKeySchema>;

/** What may change on an existing key (its app, organization and secret never do). */
export const updateKeySchema = z.object({
  id: z.uuid({ message: "Unknown key." }),
  name: keyName,
  scopes: keyScopes,
  rateLimitPerMinute: keyRateLimit,
  maxConcurrent: keyMaxConcurrent,
});
export type UpdateKeyInput = z.infer<typeof updateKeySchema>;
export type UpdateKeyFormValues = z.input<typeof updateKeySchema>;

export const revokeKeySchema = z.object({ id: z.uuid({ message: "Unknown key." }) });
export type RevokeKeyInput = z.infer<typeof revokeKeySchema>;
