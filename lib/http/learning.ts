import type { z } from "zod";
import type { SessionUser } from "@/lib/db/sessions";
import { feedbackSummary } from "@/lib/db/feedback-summary";
import { learningStatus } from "@/lib/db/learning-status";
import { withUser } from "@/lib/db/rls";
import { serviceDb } from "@/lib/db/service";
import type { GatewayKey } from "@/lib/gateway/config-cache";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { authenticateKey } from "@/lib/gateway/keys";
import { runtime } from "@/lib/gateway/runtime";
import { runRetrain } from "@/lib/learning/retrain";
import { retrainQuerySchema, statusQuerySchema, summaryQuerySchema } from "@/lib/schemas/learning";
import { describeIssue } from "@/lib/schemas/llm-request";
import { cronAuthorized } from "./cron-auth";

/**
 * Admin learning routes: auth → zod → lib → JSON. A caller is either a signed-in session or an
 * app key with the "admin" scope (sent as Authorization: Bearer, which then takes precedence).
 * Retrain and status need a PLATFORM admin session (overrides change routing for every client);
 * the feedback summary accepts any admin membership, because RLS narrows the rows it reads.
 * A key acts on its own app only; a key pinned to an organization may not retrain.
 */
export type SessionGetter = () => Promise<SessionUser | null>;
type Caller = { kind: "session"; user: SessionUser } | { kind: "key"; key: GatewayKey };

async function authenticate(request: Request, getSession: SessionGetter, allowOrgAdmin: boolean): Promise<Caller> {
  if (request.headers.has("authorization") || request.headers.has("x-api-key")) {
    const state = await runtime().config.get();
    return { kind: "key", key: authenticateKey(state, request.headers, "admin") };
  }
  const user = await getSession();
  if (!user) throw new GatewayError(401, "authentication_error", "Sign in as an admin or send an admin-scoped app key.");
  const ok = user.isPlatformAdmin || (allowOrgAdmin && user.memberships.some((m) => m.role === "admin"));
  if (!ok) throw new GatewayError(403, "permission_error", "This needs an admin role.");
  return { kind: "session", user };
}

function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.error);
    throw new GatewayError(400, "invalid_request_error", message, { param });
  }
  return parsed.data;
}

export async function handleRetrain(request: Request, getSession: SessionGetter): Promise<Response> {
  try {
    const caller = await authenticate(request, getSession, false);
    const q = parseQuery(request, retrainQuerySchema);
    if (caller.kind === "key" && caller.key.organizationId) {
      throw new GatewayError(403, "permission_error", "A key pinned to an organization cannot retrain routing shared by other clients.");
    }
    const state = await runtime().config.get();
    const result = await runRetrain(await serviceDb(), state.snapshot, {
      dryRun: q.dry_run, minSamples: q.min_samples, confidenceThreshold: q.confidence_threshold, tolerance: q.tolerance, windowDays: q.window_days,
      appId: caller.kind === "key" ? caller.key.appId : null,
      trigger: caller.kind === "key" ? "api" : "manual",
      actorId: caller.kind === "session" ? caller.user.id : null,
    });
    // No reload here: every instance (this one too) sees config_version move within 500 ms.
    return Response.json(result);
  } catch (err) {
    return errorResponse(err);
  }
}

export async function handleStatus(request: Request, getSession: SessionGetter): Promise<Response> {
  try {
    const caller = await authenticate(request, getSession, false);
    const q = parseQuery(request, statusQuerySchema);
    const status = await learningStatus(await serviceDb(), { appId: caller.kind === "key" ? caller.key.appId : null, windowDays: q.window_days });
    return Response.json(status);
  } catch (err) {
    return errorResponse(err);
  }
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export async function handleSummary(request: Request, getSession: SessionGetter): Promise<Response> {
  try {
    const caller = await authenticate(request, getSession, true);
    const q = parseQuery(request, summaryQuerySchema);
    const to = q.to ?? isoDay(Date.now());
    const filter = { from: q.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000), to, appId: q.app_id ?? null };
    const summary =
      caller.kind === "session"
        ? await withUser(await serviceDb(), caller.user.claims, (tx) => feedbackSummary(tx, filter))
        : await feedbackSummary(await serviceDb(), { ...filter, appId: caller.key.appId, organizationId: caller.key.organizationId });
    return Response.json(summary);
  } catch (err) {
    return errorResponse(err);
  }
}

/** Vercel Cron sends `Authorization: Bearer ${CRON_SECRET}`; without a configured secret, 401. */
export async function handleCronRetrain(request: Request): Promise<Response> {
  try {
    if (!cronAuthorized(request)) throw new GatewayError(401, "authentication_error", "Missing or wrong cron secret.");
    const state = await runtime().config.get();
    const result = await runRetrain(await serviceDb(), state.snapshot, { dryRun: false, trigger: "cron" });
    return Response.json({ runId: result.runId, summary: result.summary, params: result.params });
  } catch (err) {
    return errorResponse(err);
  }
}
