"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { updateApiKey } from "@/lib/db/api-keys";
import { updateKeySchema } from "@/lib/schemas/api-key";

/** Renames a key or changes its scopes or rate limit, under RLS (org admins never add "admin"). */
export const updateApiKeyAction = defineAction({
  schema: updateKeySchema,
  revalidate: ["/keys"],
  run: (input, { tx }) => updateApiKey(tx, input),
});
