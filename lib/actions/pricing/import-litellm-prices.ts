"use server";

import { errorDetail } from "@/lib/errors";
import { after } from "next/server";
import { revalidatePath } from "next/cache";
import { defineAction, type ActionResult } from "@/lib/actions/safe-action";
import { applyLitellmImport, type ImportResult } from "@/lib/db/litellm-import";
import { runRepriceJob, startRepriceJob, type RepriceJob } from "@/lib/db/reprice-jobs";
import { serviceDb } from "@/lib/db/service";
import { importLitellmPricesSchema } from "@/lib/schemas/litellm-import";

/** Inserts the price rows (and, if asked, the new models, disabled) under RLS: platform admins only. */
const applyImport = defineAction({
  schema: importLitellmPricesSchema,
  allow: (user) => user.isPlatformAdmin,
  revalidate: ["/pricing"],
  run: async (input, { tx, user }) => ({ result: await applyLitellmImport(tx, input, user.id), userId: user.id }),
});

export interface ImportOutcome extends ImportResult {
  /** The recompute job for the affected models (or the one already running), when there is one. */
  job: RepriceJob | null;
  jobCreated: boolean;
}

/**
 * Applies a LiteLLM import, then reprices the affected models' unpriced and fallback-priced
 * calls in the background. A price effective in the future affects nothing yet: no job.
 */
export async function importLitellmPrices(input: unknown): Promise<ActionResult<ImportOutcome>> {
  const applied = await applyImport(input);
  if (!applied.ok) return applied;
  const { result, userId } = applied.data;
  const outcome: ImportOutcome = { ...result, job: null, jobCreated: false };
  if (result.affectedModelIds.length === 0) return { ok: true, data: outcome };
  try {
    // SERVICE PATH, BYPASSES RLS: the inserts above succeeded under RLS, which only platform
    // admins pass; the job writes llm_calls and reprice_jobs, which no user role may.
    const db = await serviceDb();
    const started = await startRepriceJob(db, { requestedBy: userId, modelIds: result.affectedModelIds, trigger: "import" });
    after(() => runRepriceJob(db, started.job.id).then(() => undefined));
    revalidatePath("/completeness");
    return { ok: true, data: { ...outcome, job: started.job, jobCreated: started.created } };
  } catch (err) {
    console.error(`[action] reprice after import failed to start: ${errorDetail(err)}`);
    return { ok: true, data: outcome, message: "Prices imported; start “Recompute costs” on the Completeness page to reprice past calls." };
  }
}
