import { sql } from "kysely";
import { isKnownAction, unknownActionMessage } from "@/lib/engine/known-actions";
import { paramsOf, type RuleInput } from "@/lib/schemas/llm-configuration";
import type { UserTx } from "./rls";
import { WriteRefusal } from "./write-refusal";

/**
 * Writes to llm_configurations, run inside withUser as the signed-in user. The checks here give
 * the form a precise message; RLS decides who may write which row (an org admin's attempt on a
 * default or another organization's rule matches 0 rows or fails the policy's check).
 */

const NOT_FOUND = "Rule not found, or you may not change it.";

async function checkRule(tx: UserTx, input: RuleInput): Promise<void> {
  const ids = [input.modelId, ...input.fallbackModelIds];
  const models = await tx
    .selectFrom("llm_models as m")
    .innerJoin("llm_providers as p", "p.id", "m.provider_id")
    .select(["m.id", "m.model_code", "m.enabled", "p.enabled as provider_enabled"])
    .where("m.id", "in", ids)
    .execute();
  const byId = new Map(models.map((m) => [m.id, m]));
  const primary = byId.get(input.modelId);
  if (!primary) throw new WriteRefusal("Check the highlighted fields.", { modelId: ["Unknown model."] });
  if (!primary.enabled || !primary.provider_enabled) {
    throw new WriteRefusal("Check the highlighted fields.", { modelId: [`${primary.model_code} is disabled; enable it or choose another model.`] });
  }
  if (input.fallbackModelIds.some((id) => !byId.has(id))) {
    throw new WriteRefusal("Check the highlighted fields.", { fallbackModelIds: ["Unknown fallback model."] });
  }
  // The same slot (app, organization, action, priority) is unique in the table; say so by field.
  let duplicate = tx
    .selectFrom("llm_configurations")
    .select("id")
    .where("app_id", "=", input.appId)
    .where("action_type", "=", input.actionType)
    .where("priority", "=", input.priority)
    .where(input.organizationId === null ? sql<boolean>`organization_id is null` : sql<boolean>`organization_id = ${input.organizationId}`);
  if (input.id) duplicate = duplicate.where("id", "<>", input.id);
  if (await duplicate.executeTakeFirst()) {
    throw new WriteRefusal("A rule for this app, organization and action already has that priority.", {
      priority: ["Another rule already uses this priority for the same app, organization and action."],
    });
  }
}

function rowOf(input: RuleInput) {
  return {
    app_id: input.appId,
    organization_id: input.organizationId,
    action_type: input.actionType,
    model_id: input.modelId,
    fallback_model_ids: input.fallbackModelIds,
    priority: input.priority,
    params: JSON.stringify(paramsOf(input)),
    enabled: input.enabled,
    description: input.description ? input.description : null,
  };
}

/** The field error a rule for an unknown action gets until the admin confirms it. */
export const UNKNOWN_ACTION_FIELD = "actionType";

/**
 * A new rule's action must be one the app declares or one its calls have used, unless the admin
 * confirmed it (a rule prepared before the app ships the action). The same check as the form's
 * warning (lib/engine/known-actions.ts), so skipping the form changes nothing.
 */
async function checkAction(tx: UserTx, input: RuleInput): Promise<void> {
  if (input.confirmUnknownAction || input.actionType === "*") return;
  const [app, seen] = await Promise.all([
    tx.selectFrom("apps").select(["name", "declared_actions"]).where("id", "=", input.appId).executeTakeFirst(),
    tx.selectFrom("app_seen_actions").select("action_type").where("app_id", "=", input.appId).where("action_type", "=", input.actionType).execute(),
  ]);
  if (!app) throw new WriteRefusal("Check the highlighted fields.", { appId: ["Unknown app."] });
  if (isKnownAction(input.actionType, { declared: app.declared_actions, seen: seen.map((r) => r.action_type) })) return;
  throw new WriteRefusal("Confirm the unknown action to save this rule.", {
    [UNKNOWN_ACTION_FIELD]: [unknownActionMessage(input.actionType, app.name)],
  });
}

/** Creates the rule (no id) or updates it; returns its id. */
export async function saveRule(tx: UserTx, input: RuleInput): Promise<{ id: string }> {
  await checkRule(tx, input);
  if (!input.id) {
    // An existing rule's action is fixed (the form does not change it), so only new rules are checked.
    await checkAction(tx, input);
    return tx.insertInto("llm_configurations").values(rowOf(input)).returning("id").executeTakeFirstOrThrow();
  }
  const result = await tx.updateTable("llm_configurations").set(rowOf(input)).where("id", "=", input.id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id: input.id };
}

export async function setRuleEnabled(tx: UserTx, id: string, enabled: boolean): Promise<{ id: string }> {
  if (enabled) {
    // Re-enabling a rule whose model was disabled meanwhile would route to a model that cannot serve.
    const rule = await tx
      .selectFrom("llm_configurations as c")
      .innerJoin("llm_models as m", "m.id", "c.model_id")
      .select(["m.enabled", "m.model_code"])
      .where("c.id", "=", id)
      .executeTakeFirst();
    if (rule && !rule.enabled) throw new WriteRefusal(`${rule.model_code} is disabled; choose another model first.`);
  }
  const result = await tx.updateTable("llm_configurations").set({ enabled }).where("id", "=", id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id };
}

export async function deleteRule(tx: UserTx, id: string): Promise<{ id: string }> {
  const result = await tx.deleteFrom("llm_configurations").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id };
}
