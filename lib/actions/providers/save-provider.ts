"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveProvider } from "@/lib/db/providers";
import { providerFormSchema } from "@/lib/schemas/llm-provider";

/**
 * Adds or edits a provider (platform admins; RLS refuses everyone else). Only the NAME of the
 * variable holding its key is stored; the key itself never enters the database.
 */
export const saveProviderAction = defineAction({
  schema: providerFormSchema,
  revalidate: ["/providers", "/pricing"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => saveProvider(tx, input),
});
