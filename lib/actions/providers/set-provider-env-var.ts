"use server";

import { refusalsToForm } from "@/lib/actions/routing/refusal";
import { defineAction } from "@/lib/actions/safe-action";
import { setProviderEnvVar } from "@/lib/db/providers";
import { providerEnvVarSchema } from "@/lib/schemas/llm-provider";

/** Changes the NAME of the variable holding a provider's key; the key itself never enters the database. */
export const setProviderEnvVarAction = defineAction({
  schema: providerEnvVarSchema,
  revalidate: ["/providers"],
  run: (input, { tx }) => refusalsToForm(() => setProviderEnvVar(tx, input)),
});
