"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { revokeApiKey } from "@/lib/db/api-keys";
import { revokeKeySchema } from "@/lib/schemas/api-key";

/** Revokes a key; the gateway refuses it within a second (its configuration cache reloads). */
export const revokeApiKeyAction = defineAction({
  schema: revokeKeySchema,
  revalidate: ["/keys"],
  run: (input, { tx }) => revokeApiKey(tx, input.id),
});
