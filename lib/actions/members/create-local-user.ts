"use server";

import { errorDetail } from "@/lib/errors";
import { revalidatePath } from "next/cache";
import { sql } from "kysely";
import { ActionError, defineAction, type ActionResult } from "@/lib/actions/safe-action";
import { createLocalUser, SUPABASE_MODE_REFUSAL, type CreatedLocalUser } from "@/lib/db/local-users";
import { serviceDb } from "@/lib/db/service";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { getMode } from "@/lib/env";
import { createLocalUserSchema, type CreateLocalUserInput } from "@/lib/schemas/membership";

/**
 * Authorization and validation run through the one action wrapper, under RLS: the app refuses
 * non-platform admins early and the database confirms the role (is_platform_admin() under the
 * user's claims).
 */
const authorize = defineAction({
  schema: createLocalUserSchema,
  allow: (user) => user.isPlatformAdmin,
  run: async (input, { tx }): Promise<CreateLocalUserInput> => {
    if (getMode() === "supabase") throw new ActionError(SUPABASE_MODE_REFUSAL);
    const { rows } = await sql<{ ok: boolean }>`select public.is_platform_admin() as ok`.execute(tx);
    if (!rows[0]?.ok) throw new ActionError("Only platform administrators can create users.");
    return input;
  },
});

/** Creates a local sign-in with a generated password, returned once. */
export async function createLocalUserAction(input: unknown): Promise<ActionResult<CreatedLocalUser>> {
  const allowed = await authorize(input);
  if (!allowed.ok) return allowed;
  try {
    // SERVICE PATH, BYPASSES RLS: auth.users is closed to the authenticated role (it holds
    // password hashes), so the row is written as the database owner, only after the
    // platform-admin check above, and outside the user's transaction (PGlite serves one session).
    const created = await createLocalUser(await serviceDb(), allowed.data.email);
    revalidatePath("/members");
    return { ok: true, data: created };
  } catch (err) {
    if (err instanceof WriteRefusal) return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
    console.error(`[action] create user failed: ${errorDetail(err)}`);
    return { ok: false, error: "Creating the user failed; nothing was changed." };
  }
}
