import { findAnsweredCall, upsertRequestFeedback } from "@/lib/db/feedback-writes";
import { serviceDb } from "@/lib/db/service";
import { feedbackSchema } from "@/lib/schemas/llm-request";
import { readJson } from "../body";
import { GatewayCall } from "../call";
import { GatewayError } from "../errors";
import { authenticateKey } from "../keys";
import { runtime } from "../runtime";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";

/**
 * POST /api/llm/feedback: a quality score for a request the gateway answered. The call's app,
 * organization, action, pattern and model are copied from the ledger (never taken from the
 * caller), so learning cannot be steered with made-up attributions. A request of another app,
 * or of another organization than a pinned key's, is "not found".
 *
 * One feedback per request (unique production_feedback.request_id): the first post is 201, a
 * repeat REPLACES it (score, correctness, comment, time) and answers 200 with the updated row,
 * so repeating a request's feedback never adds weight to learning.
 */
export async function handleFeedback(request: GatewayRequest): Promise<GatewayAnswer> {
  const rt = runtime();
  const gw = new GatewayCall(rt);
  try {
    const state = await rt.config.get();
    const key = authenticateKey(state, request.headers, "feedback");
    // Feedback is not an LLM call: the key's rate limit applies, no concurrency slot, and a
    // refusal gets no llm_calls row (it would count as a failed call on the error-rate charts).
    await gw.admit(state.snapshot, key, { concurrency: false });
    rt.config.touchKey(key.id);
    const body = await readJson(request, feedbackSchema);
    // The recorder buffers for up to its flush interval: make sure this request's rows landed.
    await rt.recorder.flush();
    const db = await serviceDb();
    const call = await findAnsweredCall(db, body.request_id, key.appId);
    if (!call || (key.organizationId && call.organization_id !== key.organizationId)) {
      throw new GatewayError(404, "not_found_error", `No request ${body.request_id} was answered for this app.`, { param: "request_id" });
    }
    const values = {
      request_id: body.request_id,
      organization_id: call.organization_id,
      app_id: call.app_id,
      action_type: call.action_type,
      query_pattern: call.query_pattern,
      provider_code: call.provider_code,
      model_code: call.model_code,
      quality_score: body.quality_score,
      is_correct: body.is_correct ?? null,
      comment: body.comment ?? null,
      source: "api" as const,
    };
    const row = await upsertRequestFeedback(db, values);
    const status = row.inserted ? 201 : 200;
    return gw.respond(Reply.json({ id: row.id, request_id: body.request_id, model: call.model_code, created_at: row.created_at, replaced: !row.inserted }, { status }));
  } catch (err) {
    return gw.fail(err, { record: false });
  }
}
