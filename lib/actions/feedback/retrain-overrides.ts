"use server";

import { errorDetail } from "@/lib/errors";
import { revalidatePath } from "next/cache";
import { sql } from "kysely";
import { ActionError, defineAction, type ActionResult } from "@/lib/actions/safe-action";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { toRetrainView, type RetrainView } from "@/lib/learning/diff-view";
import { runRetrain } from "@/lib/learning/retrain";
import { retrainFormSchema } from "@/lib/schemas/learning";

/**
 * "Preview (dry run)" and "Apply" on the Feedback page. Authorization runs through the one action
 * wrapper, under RLS: the app refuses non-platform admins early and the database confirms the
 * role (is_platform_admin() under the user's claims). Learned overrides change routing for every
 * client of an app, so only platform admins retrain, as on POST /api/admin/learning/retrain.
 */
const authorize = defineAction({
  schema: retrainFormSchema,
  allow: (user) => user.isPlatformAdmin,
  run: async (input, { tx, user }) => {
    const { rows } = await sql<{ ok: boolean }>`select public.is_platform_admin() as ok`.execute(tx);
    if (!rows[0]?.ok) throw new ActionError("Only platform administrators can retrain learned overrides.");
    return { ...input, actorId: user.id };
  },
});

export async function retrainOverrides(input: unknown): Promise<ActionResult<RetrainView>> {
  const allowed = await authorize(input);
  if (!allowed.ok) return allowed;
  const { dry_run: dryRun, min_samples: minSamples, confidence_threshold: confidenceThreshold, actorId } = allowed.data;
  try {
    // SERVICE PATH, BYPASSES RLS: the retrain reads every organization's feedback and writes
    // retrain_runs and learning_overrides in one transaction of its own. It is the same call the
    // admin route and the cron make (runRetrain), run only after the platform-admin check above,
    // and outside the user's transaction (PGlite serves one session at a time).
    const { snapshot } = await runtime().config.get();
    const result = await runRetrain(await serviceDb(), snapshot, { dryRun, minSamples, confidenceThreshold, trigger: "manual", actorId });
    if (!dryRun) {
      revalidatePath("/feedback");
      revalidatePath("/routing");
    }
    const { added, changed, retired } = result.summary;
    const counts = `${added} added, ${changed} changed, ${retired} retired`;
    return { ok: true, data: toRetrainView(result, snapshot), message: dryRun ? `Preview: ${counts}. Nothing was changed.` : `Retrained: ${counts}.` };
  } catch (err) {
    console.error(`[action] retrain failed: ${errorDetail(err)}`);
    return { ok: false, error: dryRun ? "The preview failed." : "Retraining failed; no override was half-applied." };
  }
}
