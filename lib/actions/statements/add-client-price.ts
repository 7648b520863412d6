"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { addClientPrice } from "@/lib/db/statements-terms";
import { clientPriceSchema } from "@/lib/schemas/statement";

/** Adds a client price row for one model from a date (audited). Platform admins only; RLS decides. */
export const addClientPriceAction = defineAction({
  schema: clientPriceSchema,
  revalidate: ["/statements"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => addClientPrice(tx, input),
});
