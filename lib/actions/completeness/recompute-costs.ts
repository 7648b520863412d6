"use server";

import { revalidatePath } from "next/cache";
import { sql } from "kysely";
import { ActionError, defineAction, type ActionResult } from "@/lib/actions/safe-action";
import { repriceCalls, type RepriceResult } from "@/lib/db/reprice-costs";
import { serviceDb } from "@/lib/db/service";
import { recomputeCostsSchema } from "@/lib/schemas/recompute-costs";

/**
 * Authorization runs through the one action wrapper, under RLS: the app refuses non-platform
 * admins early and the database confirms the role (is_platform_admin() under the user's claims).
 */
const authorize = defineAction({
  schema: recomputeCostsSchema,
  allow: (user) => user.isPlatformAdmin,
  run: async (_input, { tx }) => {
    const { rows } = await sql<{ ok: boolean }>`select public.is_platform_admin() as ok`.execute(tx);
    if (!rows[0]?.ok) throw new ActionError("Only platform administrators can recompute costs.");
    return true;
  },
});

export async function recomputeCosts(input: unknown): Promise<ActionResult<RepriceResult>> {
  const allowed = await authorize(input);
  if (!allowed.ok) return allowed;
  try {
    // SERVICE PATH, BYPASSES RLS: users may not UPDATE llm_calls (their grants are select-only),
    // so the repricing runs as the database owner, only after the platform-admin check above,
    // and outside the user's transaction (PGlite serves one session at a time).
    const result = await repriceCalls(await serviceDb());
    revalidatePath("/completeness");
    revalidatePath("/costs");
    return {
      ok: true,
      data: result,
      message: result.changed === 0 ? "Nothing to recompute: every priceable call already has a database price." : `Repriced ${result.changed} call${result.changed === 1 ? "" : "s"}.`,
    };
  } catch (err) {
    console.error(`[action] recompute costs failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { ok: false, error: "Recomputing costs failed; no batch was half-applied." };
  }
}
