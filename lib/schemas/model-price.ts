import { z } from "zod";

/**
 * A new price row (model_prices). Prices are history: the form only ever adds a row effective from
 * a moment; the table has no update policy, so an existing row cannot be overwritten. Bounds mirror
 * the table's checks so mistakes show next to their field before the database would refuse them.
 */

/** Up to 12 integer and 8 fractional digits: numeric(20, 8). Kept as a string, never a float. */
const PRICE = /^\d{1,12}(\.\d{1,8})?$/;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const price = z
  .string({ message: "Enter a price." })
  .trim()
  .min(1, "Enter a price.")
  .regex(PRICE, "A price per million tokens: digits with at most 8 decimals, e.g. 3 or 0.15.");

export const priceInputSchema = z.object({
  modelId: z.uuid({ message: "Choose a model." }),
  inputPerMtok: price,
  outputPerMtok: price,
  cachedInputPerMtok: z.preprocess(blankToUndefined, price.optional()),
  /** Prompt-cache write price (Anthropic: 1.25x input); empty = writes are priced as input. */
  cacheWritePerMtok: z.preprocess(blankToUndefined, price.optional()),
  /** One-hour prompt-cache write price (Anthropic: 2x input); empty = 2x the input price (lib/engine/price.ts). */
  cacheWrite1hPerMtok: z.preprocess(blankToUndefined, price.optional()),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "A three-letter ISO currency code, e.g. EUR or USD."),
  /** Empty = now. A past date re-prices nothing already recorded; a future one takes effect then. */
  effectiveFrom: z.preprocess(
    blankToUndefined,
    z.coerce.date({ message: "Enter a valid date and time." }).optional(),
  ),
  note: z.string().trim().max(500, "At most 500 characters.").optional(),
  /** Set when the admin chose a currency other than that of the model's price in force (see addPrice). */
  confirmCurrencyChange: z.boolean().optional(),
});

export type PriceInput = z.infer<typeof priceInputSchema>;
export type PriceFormValues = z.input<typeof priceInputSchema>;

export const priceIdSchema = z.object({ id: z.uuid({ message: "Unknown price row." }) });

/**
 * What a price in another currency than the model's current one does: said in the Add price
 * dialog before saving and by the server when it is not confirmed.
 */
export function currencyChangeWarning(modelCode: string, from: string, to: string): string {
  return `${modelCode} is priced in ${from} now. A ${to} price makes budgets in ${from} stop counting this model's calls; its costs will be in ${to} until converted at reporting.fx_rates.`;
}
