"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { setProviderEnabled } from "@/lib/db/providers";
import { providerEnabledSchema } from "@/lib/schemas/llm-provider";

/** Turns a provider on or off; the gateway stops routing to a disabled one within a second. */
export const setProviderEnabledAction = defineAction({
  schema: providerEnabledSchema,
  revalidate: ["/providers"],
  run: (input, { tx }) => setProviderEnabled(tx, input),
});
