"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteRule } from "@/lib/db/routing-writes";
import { ruleIdSchema } from "@/lib/schemas/llm-configuration";

export const deleteRuleAction = defineAction({
  schema: ruleIdSchema,
  revalidate: ["/routing"],
  run: (input, { tx }) => deleteRule(tx, input.id),
});
