"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { previewLitellmImport } from "@/lib/db/litellm-import";
import { previewLitellmImportSchema } from "@/lib/schemas/litellm-import";

/**
 * What a LiteLLM import would change, read under RLS: matched models with the price in force at
 * the effective date against the imported one, models not in the catalog, unmatched providers.
 * Read-only; platform admins only, because only they can act on it.
 */
export const previewLitellmImportAction = defineAction({
  schema: previewLitellmImportSchema,
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => previewLitellmImport(tx, input.entries, input.effectiveFrom),
});
