"use server";

import { refusalsToForm } from "@/lib/actions/routing/refusal";
import { defineAction } from "@/lib/actions/safe-action";
import { updateBudget } from "@/lib/db/budgets";
import { budgetSchema } from "@/lib/schemas/budget";

/**
 * Sets an organization's monthly budget, currency, policy and alert webhook. Platform admins
 * only: the early check spares others a round trip; RLS on organizations is what refuses them.
 */
export const updateBudgetAction = defineAction({
  schema: budgetSchema,
  revalidate: ["/budgets", "/"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => refusalsToForm(() => updateBudget(tx, input)),
});
