"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { createApiKey } from "@/lib/db/api-keys";
import { createKeySchema } from "@/lib/schemas/api-key";

/**
 * Mints an app key and returns the plaintext once; only its prefix and SHA-256 are stored. RLS
 * lets org admins create keys pinned to their organizations only, and never admin-scoped ones.
 */
export const createApiKeyAction = defineAction({
  schema: createKeySchema,
  revalidate: ["/keys"],
  run: (input, { tx, user }) => createApiKey(tx, input, user.id),
});
