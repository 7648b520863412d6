"use server";

import { defineAdminJob } from "@/lib/actions/safe-action";
import { createLocalUser, SUPABASE_MODE_REFUSAL } from "@/lib/db/local-users";
import { getMode } from "@/lib/env";
import { createLocalUserSchema } from "@/lib/schemas/membership";

/**
 * Creates a local sign-in with a generated password, returned once. Platform admins only (refused
 * early by the app, confirmed by the database), never in Supabase mode, where Supabase Auth owns
 * auth.users. SERVICE PATH, BYPASSES RLS: auth.users is closed to the authenticated role (it
 * holds password hashes), so the row is written as the database owner.
 */
export const createLocalUserAction = defineAdminJob({
  schema: createLocalUserSchema,
  refusal: "Only platform administrators can create users.",
  refuse: () => (getMode() === "supabase" ? SUPABASE_MODE_REFUSAL : null),
  prepare: async (input) => input,
  run: async ({ email }, { serviceDb }) => ({ ok: true, data: await createLocalUser(serviceDb, email) }),
  failed: { log: "create user failed", result: () => ({ ok: false, error: "Creating the user failed; nothing was changed." }) },
  revalidate: ["/members"],
});
