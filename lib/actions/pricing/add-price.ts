"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { addPrice } from "@/lib/db/pricing";
import { priceInputSchema } from "@/lib/schemas/model-price";

/** Adds a price row (platform admins only, decided by RLS); earlier rows stay as history. */
export const addPriceAction = defineAction({
  schema: priceInputSchema,
  revalidate: ["/pricing"],
  run: (input, { tx, user }) => addPrice(tx, input, user.id),
});
