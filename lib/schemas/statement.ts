import { z } from "zod";

/**
 * Client statements: billing terms, client price rows, close and reopen, shared by the forms, the
 * server actions, the routes and the tests. The same limits are CHECK constraints in the database
 * (migration 20261208030001), which has the last word.
 */

export const guidSchema = z.guid();
const uuid = z.guid("Choose an organization.");
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use a month like 2026-11.");
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, "Use a 3-letter currency code, like EUR.");
/** numeric(9, 4), 0 to 10000 %. */
const percent = z.string().trim().regex(/^\d{1,5}(\.\d{1,4})?$/, "Enter a percentage ≥ 0 with at most 4 decimals, like 20 or 12.5.").refine((v) => Number(v) <= 10_000, "At most 10000 %.");
/** numeric(20, 8) per million tokens. */
const price = z.string().trim().regex(/^\d{1,12}(\.\d{1,8})?$/, "Enter a price ≥ 0 with at most 8 decimals.");
const optionalPrice = z.string().trim().transform((v) => (v === "" ? null : v)).pipe(price.nullable());

export const billingTermsSchema = z.object({
  organizationId: uuid,
  /** Empty = the reporting currency. */
  billingCurrency: z.string().trim().transform((v) => (v === "" ? null : v)).pipe(currency.nullable()),
  markupPct: percent,
});
export type BillingTermsInput = z.infer<typeof billingTermsSchema>;

export const clientPriceSchema = z.object({
  organizationId: uuid,
  modelId: z.guid("Choose a model."),
  inputPerMtok: price,
  outputPerMtok: price,
  cachedInputPerMtok: optionalPrice.default(""),
  cacheWritePerMtok: optionalPrice.default(""),
  cacheWrite1hPerMtok: optionalPrice.default(""),
  currency,
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-01."),
});
export type ClientPriceInput = z.infer<typeof clientPriceSchema>;

export const deleteClientPriceSchema = z.object({ organizationId: uuid, id: z.guid() });

export const closeStatementSchema = z.object({ organizationId: uuid, month: monthSchema });

export const reopenStatementSchema = z.object({
  organizationId: uuid,
  month: monthSchema,
  reason: z.string().trim().min(3, "Say why (at least 3 characters).").max(500, "At most 500 characters."),
});

/** /statements/<organizationId>/<month>, or its print view /print/statements/<organizationId>/<month>. */
export function statementHref(organizationId: string, month: string, view: "page" | "print" = "page"): string {
  return `${view === "print" ? "/print" : ""}/statements/${organizationId}/${month}`;
}

export function statementExportHref(organizationId: string, month: string, format: "csv" | "focus"): string {
  return `/api/dashboard/statements/${organizationId}/${month}?format=${format}`;
}
