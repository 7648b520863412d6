"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteClientPrice } from "@/lib/db/statements-terms";
import { deleteClientPriceSchema } from "@/lib/schemas/statement";

/** Removes a client price row (audited). Closed statements keep what they froze. Platform admins only. */
export const deleteClientPriceAction = defineAction({
  schema: deleteClientPriceSchema,
  revalidate: ["/statements"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => deleteClientPrice(tx, input.organizationId, input.id),
});
