import { z } from "zod";

/**
 * A LiteLLM price import as the server actions receive it: the browser parses the file with
 * lib/engine/litellm-import.ts (the same pure code the tests cover) and sends only the
 * importable entries, so a multi-megabyte file never crosses the server action body limit.
 * The server trusts nothing it gets: every entry is validated again here, strictly.
 */

export const LITELLM_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const LITELLM_MAX_ENTRIES = 5000;

/** numeric(20, 8), as the perTokenToPerMtok conversion produces it. */
const PRICE = /^\d{1,12}(\.\d{1,8})?$/;
const price = z.string().regex(PRICE, "A price per million tokens with at most 8 decimals.");
const tokens = z.number().int().positive().max(2_000_000_000).nullable().optional();

export const litellmImportEntrySchema = z.strictObject({
  key: z.string().min(1).max(300),
  litellmProvider: z.string().min(1).max(100),
  providerCode: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, "An unknown provider code."),
  modelCode: z.string().min(1).max(200),
  inputPerMtok: price,
  outputPerMtok: price,
  cachedInputPerMtok: price.nullable().optional(),
  cacheWritePerMtok: price.nullable().optional(),
  reasoningPerMtok: price.nullable().optional(),
  contextWindow: tokens,
  maxOutputTokens: tokens,
  /** llm_models.kind for a model the import adds (absent = chat). */
  kind: z.enum(["chat", "embedding"]).optional(),
});
export type LitellmImportEntry = z.infer<typeof litellmImportEntrySchema>;

/** The effective date is a UTC day: prices change from midnight, like the providers announce them. */
const effectiveFrom = z
  .string({ message: "Choose the date the prices take effect." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-12-01.")
  .transform((day, ctx) => {
    const date = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
      ctx.addIssue({ code: "custom", message: "That date does not exist." });
      return z.NEVER;
    }
    return date;
  });

const entries = z
  .array(litellmImportEntrySchema)
  .min(1, "The file has no importable prices.")
  .max(LITELLM_MAX_ENTRIES, `At most ${LITELLM_MAX_ENTRIES} models per import.`);

export const previewLitellmImportSchema = z.strictObject({ entries, effectiveFrom });
export const importLitellmPricesSchema = z.strictObject({ entries, effectiveFrom, addNewModels: z.boolean().default(false) });

export type PreviewLitellmImportInput = z.input<typeof previewLitellmImportSchema>;
export type ImportLitellmPricesInput = z.input<typeof importLitellmPricesSchema>;

/** Today at 00:00 UTC as YYYY-MM-DD: the default effective date. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);
