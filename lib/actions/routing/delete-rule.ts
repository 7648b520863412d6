"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteRule } from "@/lib/db/routing-writes";
import { ruleIdSchema } from "@/lib/schemas/llm-configuration";
import { refusalsToForm } from "./refusal";

export const deleteRuleAction = defineAction({
  schema: ruleIdSchema,
  revalidate: ["/routing"],
  run: (input, { tx }) => refusalsToForm(() => deleteRule(tx, input.id)),
});
