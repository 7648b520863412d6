"use server";

import { errorDetail } from "@/lib/errors";
import { after } from "next/server";
import { sql } from "kysely";
import { ActionError, defineAction, type ActionResult } from "@/lib/actions/safe-action";
import { runRepriceJob, startRepriceJob, type RepriceJob } from "@/lib/db/reprice-jobs";
import { serviceDb } from "@/lib/db/service";
import { recomputeCostsSchema } from "@/lib/schemas/recompute-costs";

/**
 * Authorization runs through the one action wrapper, under RLS: the app refuses non-platform
 * admins early and the database confirms the role (is_platform_admin() under the user's claims).
 */
const authorize = defineAction({
  schema: recomputeCostsSchema,
  allow: (user) => user.isPlatformAdmin,
  run: async (_input, { tx, user }) => {
    const { rows } = await sql<{ ok: boolean }>`select public.is_platform_admin() as ok`.execute(tx);
    if (!rows[0]?.ok) throw new ActionError("Only platform administrators can recompute costs.");
    return user.id;
  },
});

/**
 * Starts the repricing job over every model (or returns the one already active) and works it in
 * the background after the response; the page polls its progress. A job this instance cannot
 * finish (a frozen function, a restart) is resumed by /api/cron/reprice or the next start.
 */
export async function recomputeCosts(input: unknown): Promise<ActionResult<{ job: RepriceJob; created: boolean }>> {
  const allowed = await authorize(input);
  if (!allowed.ok) return allowed;
  try {
    // SERVICE PATH, BYPASSES RLS: users may not write reprice_jobs or UPDATE llm_calls (their
    // grants are select-only), so the job runs as the database owner, only after the
    // platform-admin check above, and outside the user's transaction (PGlite serves one session).
    const db = await serviceDb();
    const started = await startRepriceJob(db, { requestedBy: allowed.data, modelIds: null, trigger: "manual" });
    after(() => runRepriceJob(db, started.job.id).then(() => undefined));
    return {
      ok: true,
      data: started,
      message: started.created ? "Recomputing costs in the background." : "A recompute is already running; showing its progress.",
    };
  } catch (err) {
    console.error(`[action] recompute costs failed: ${errorDetail(err)}`);
    return { ok: false, error: "Could not start recomputing costs; nothing was changed." };
  }
}
