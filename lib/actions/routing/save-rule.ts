"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveRule } from "@/lib/db/routing-writes";
import { ruleInputSchema } from "@/lib/schemas/llm-configuration";

/** Creates or edits a routing rule; RLS lets org admins write only their organization's overrides. */
export const saveRuleAction = defineAction({
  schema: ruleInputSchema,
  revalidate: ["/routing"],
  run: (input, { tx }) => saveRule(tx, input),
});
