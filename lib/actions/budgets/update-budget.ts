"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { updateBudget } from "@/lib/db/budgets";
import { budgetSchema } from "@/lib/schemas/budget";

/**
 * Sets an organization's monthly budget, currency, policy and alert webhook (upserted into, or
 * deleted from, organization_webhooks in the same RLS transaction). Platform admins only: the
 * early check spares others a round trip; RLS on organizations and organization_webhooks is what
 * refuses them.
 */
export const updateBudgetAction = defineAction({
  schema: budgetSchema,
  revalidate: ["/budgets", "/"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => updateBudget(tx, input),
});
