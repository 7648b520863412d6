"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { setRuleEnabled } from "@/lib/db/routing-writes";
import { ruleEnabledSchema } from "@/lib/schemas/llm-configuration";

export const setRuleEnabledAction = defineAction({
  schema: ruleEnabledSchema,
  revalidate: ["/routing"],
  run: (input, { tx }) => setRuleEnabled(tx, input.id, input.enabled),
});
