"use server";

import { revalidatePath } from "next/cache";
import { defineAdminJob } from "@/lib/actions/safe-action";
import { runtime } from "@/lib/gateway/runtime";
import { toRetrainView } from "@/lib/learning/diff-view";
import { runRetrain } from "@/lib/learning/retrain";
import { retrainFormSchema } from "@/lib/schemas/learning";

/**
 * "Preview (dry run)" and "Apply" on the Feedback page. Learned overrides change routing for every
 * client of an app, so only platform admins retrain, as on POST /api/admin/learning/retrain;
 * defineAdminJob refuses others early and has the database confirm the role.
 * SERVICE PATH, BYPASSES RLS: the retrain reads every organization's feedback and writes
 * retrain_runs and learning_overrides in one transaction of its own. It is the same call the
 * admin route and the cron make (runRetrain).
 */
export const retrainOverrides = defineAdminJob({
  schema: retrainFormSchema,
  refusal: "Only platform administrators can retrain learned overrides.",
  prepare: async (input, { user }) => ({ ...input, actorId: user.id }),
  run: async ({ dry_run: dryRun, min_samples: minSamples, confidence_threshold: confidenceThreshold, actorId }, { serviceDb }) => {
    const { snapshot } = await runtime().config.get();
    const result = await runRetrain(serviceDb, snapshot, { dryRun, minSamples, confidenceThreshold, trigger: "manual", actorId });
    if (!dryRun) {
      revalidatePath("/feedback");
      revalidatePath("/routing");
    }
    const { added, changed, retired } = result.summary;
    const counts = `${added} added, ${changed} changed, ${retired} retired`;
    return { ok: true, data: toRetrainView(result, snapshot), message: dryRun ? `Preview: ${counts}. Nothing was changed.` : `Retrained: ${counts}.` };
  },
  failed: {
    log: "retrain failed",
    result: ({ dry_run: dryRun }) => ({ ok: false, error: dryRun ? "The preview failed." : "Retraining failed; no override was half-applied." }),
  },
});
