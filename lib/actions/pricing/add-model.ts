"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { addModel } from "@/lib/db/pricing";
import { modelInputSchema } from "@/lib/schemas/llm-model";

/** Adds a model to a provider's catalog (platform admins only, decided by RLS). */
export const addModelAction = defineAction({
  schema: modelInputSchema,
  revalidate: ["/pricing", "/routing"],
  run: (input, { tx }) => addModel(tx, input),
});
