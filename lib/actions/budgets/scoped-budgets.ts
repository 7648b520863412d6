"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteScopedBudget, saveScopedBudget } from "@/lib/db/budget-scopes";
import { deleteBudgetSchema, scopedBudgetSchema } from "@/lib/schemas/budget-scope";

/**
 * Adds, changes and removes budgets of any scope (organization, app, API key; monthly or daily).
 * Platform admins only: the early check spares others a round trip; RLS on budgets refuses them.
 * The audit trigger records the change; config_version makes every gateway reload within a second.
 */
export const saveScopedBudgetAction = defineAction({
  schema: scopedBudgetSchema,
  revalidate: ["/budgets", "/"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => saveScopedBudget(tx, input),
});

export const deleteScopedBudgetAction = defineAction({
  schema: deleteBudgetSchema,
  revalidate: ["/budgets", "/"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => deleteScopedBudget(tx, input.id),
});
