"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveBillingTerms } from "@/lib/db/statements-terms";
import { billingTermsSchema } from "@/lib/schemas/statement";

/** Sets an organization's billing currency and markup (audited). Platform admins only; RLS decides. */
export const saveBillingTermsAction = defineAction({
  schema: billingTermsSchema,
  revalidate: ["/statements"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => saveBillingTerms(tx, input),
});
