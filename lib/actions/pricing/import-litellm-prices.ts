"use server";

import { after } from "next/server";
import { revalidatePath } from "next/cache";
import { defineAdminJob } from "@/lib/actions/safe-action";
import { applyLitellmImport, type ImportResult } from "@/lib/db/litellm-import";
import { runRepriceJob, startRepriceJob, type RepriceJob } from "@/lib/db/reprice-jobs";
import { importLitellmPricesSchema } from "@/lib/schemas/litellm-import";

export interface ImportOutcome extends ImportResult {
  /** The recompute job for the affected models (or the one already running), when there is one. */
  job: RepriceJob | null;
  jobCreated: boolean;
}

/**
 * Applies a LiteLLM import, then reprices the affected models' unpriced and fallback-priced
 * calls in the background. A price effective in the future affects nothing yet: no job.
 * The price rows (and, if asked, the new models, disabled) are inserted under RLS, which only
 * platform admins pass. SERVICE PATH, BYPASSES RLS: the job writes llm_calls and reprice_jobs,
 * which no user role may.
 */
export const importLitellmPrices = defineAdminJob({
  schema: importLitellmPricesSchema,
  refusal: "You don't have permission to make this change.",
  prepare: async (input, { tx, user }) => ({ result: await applyLitellmImport(tx, input, user.id), userId: user.id }),
  run: async ({ result, userId }, { serviceDb }) => {
    const outcome: ImportOutcome = { ...result, job: null, jobCreated: false };
    if (result.affectedModelIds.length === 0) return { ok: true, data: outcome };
    const started = await startRepriceJob(serviceDb, { requestedBy: userId, modelIds: result.affectedModelIds, trigger: "import" });
    after(() => runRepriceJob(serviceDb, started.job.id).then(() => undefined));
    revalidatePath("/completeness");
    return { ok: true, data: { ...outcome, job: started.job, jobCreated: started.created } };
  },
  failed: {
    log: "reprice after import failed to start",
    result: ({ result }) => ({
      ok: true,
      data: { ...result, job: null, jobCreated: false },
      message: "Prices imported; start “Recompute costs” on the Completeness page to reprice past calls.",
    }),
  },
  revalidate: ["/pricing"],
});
