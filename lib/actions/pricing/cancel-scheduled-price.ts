"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { cancelScheduledPrice } from "@/lib/db/pricing";
import { priceIdSchema } from "@/lib/schemas/model-price";

/** Removes a price row that has not taken effect yet (platform admins only, decided by RLS). */
export const cancelScheduledPriceAction = defineAction({
  schema: priceIdSchema,
  revalidate: ["/pricing"],
  run: (input, { tx }) => cancelScheduledPrice(tx, input.id),
});
