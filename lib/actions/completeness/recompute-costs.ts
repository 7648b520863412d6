"use server";

import { after } from "next/server";
import { defineAdminJob } from "@/lib/actions/safe-action";
import { runRepriceJob, startRepriceJob } from "@/lib/db/reprice-jobs";
import { recomputeCostsSchema } from "@/lib/schemas/recompute-costs";

/**
 * Starts the repricing job over every model (or returns the one already active) and works it in
 * the background after the response; the page polls its progress. A job this instance cannot
 * finish (a frozen function, a restart) is resumed by /api/cron/reprice or the next start.
 * SERVICE PATH, BYPASSES RLS: users may not write reprice_jobs or UPDATE llm_calls (their grants
 * are select-only), so the job runs as the database owner, once defineAdminJob has had the
 * platform-admin role confirmed by the database.
 */
export const recomputeCosts = defineAdminJob({
  schema: recomputeCostsSchema,
  refusal: "Only platform administrators can recompute costs.",
  prepare: async (_input, { user }) => user.id,
  run: async (requestedBy, { serviceDb }) => {
    const started = await startRepriceJob(serviceDb, { requestedBy, modelIds: null, trigger: "manual" });
    after(() => runRepriceJob(serviceDb, started.job.id).then(() => undefined));
    return {
      ok: true,
      data: started,
      message: started.created ? "Recomputing costs in the background." : "A recompute is already running; showing its progress.",
    };
  },
  failed: { log: "recompute costs failed", result: () => ({ ok: false, error: "Could not start recomputing costs; nothing was changed." }) },
});
