import { randomUUID } from "node:crypto";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { key2 } from "@/lib/engine/snapshot";
import type { SnapshotApp, SnapshotOrganization } from "@/lib/engine/types";
import { callMetadataSchema, describeIssue, type CallMetadata } from "@/lib/schemas/llm-request";
import type { BudgetLease } from "./budget-reservations";
import type { GatewayKey } from "./config-cache";
import { GatewayError } from "./errors";

/** Who is calling and what for: resolved once per request from the key, body and headers. */
export interface CallContext {
  requestId: string;
  receivedAt: number;
  key: GatewayKey;
  app: SnapshotApp;
  organization: SnapshotOrganization | null;
  actionType: string;
  explicitModel: string | null;
  metadata: CallMetadata;
  /** The budget reservation of this call (set by route(); settled by complete/stream). */
  budget?: BudgetLease | null;
  /** Aborted when the client disconnects: the upstream call is aborted and recorded as `cancelled`. */
  signal?: AbortSignal;
}

const HEADER_FIELDS: [keyof CallMetadata, string][] = [
  ["action", "x-llm-action"],
  ["organization", "x-llm-organization"],
  ["pipeline_stage", "x-llm-pipeline-stage"],
  ["request_type", "x-llm-request-type"],
  ["purpose", "x-llm-purpose"],
  ["user_id", "x-llm-user-id"],
  ["related_entity_type", "x-llm-related-entity-type"],
  ["related_entity_id", "x-llm-related-entity-id"],
];

/** Body metadata wins over x-llm-* headers; both are validated. */
export function readMetadata(body: Record<string, unknown> | undefined, headers: Headers): CallMetadata {
  const merged: Record<string, unknown> = {};
  for (const [field, header] of HEADER_FIELDS) {
    const value = headers.get(header);
    if (value !== null && value !== "") merged[field] = value;
  }
  for (const [field] of HEADER_FIELDS) {
    const value = body?.[field];
    if (value !== undefined && value !== null && value !== "") merged[field] = value;
  }
  const parsed = callMetadataSchema.safeParse(merged);
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.error);
    throw new GatewayError(400, "invalid_request_error", `metadata.${message}`, { param: param ? `metadata.${param}` : null });
  }
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization named by id or slug; a key pinned to one organization cannot act for another. */
export function resolveOrganization(snapshot: ConfigSnapshot, key: GatewayKey, named: string | undefined): SnapshotOrganization | null {
  const pinned = key.organizationId ? (snapshot.organizationsById.get(key.organizationId) ?? null) : null;
  if (!named) return pinned;
  const org = UUID.test(named) ? snapshot.organizationsById.get(named.toLowerCase()) : snapshot.organizationsBySlug.get(named.toLowerCase());
  if (!org) throw new GatewayError(400, "invalid_request_error", `Unknown organization "${named}".`, { param: "metadata.organization" });
  if (pinned && pinned.id !== org.id) {
    throw new GatewayError(403, "permission_error", `This API key is pinned to organization "${pinned.slug}" and cannot act for "${org.slug}".`);
  }
  return org;
}

/** Whether the app has a rule for the action (or a "*" rule that takes any action). */
export function isKnownAction(snapshot: ConfigSnapshot, appId: string, action: string): boolean {
  return snapshot.configsByAppAction.has(key2(appId, action)) || snapshot.configsByAppAction.has(key2(appId, "*"));
}

export function newContext(
  snapshot: ConfigSnapshot,
  key: GatewayKey,
  input: { action: string | null; explicitModel: string | null; metadata: CallMetadata; requestId?: string },
): CallContext {
  const app = snapshot.appsById.get(key.appId);
  if (!app) throw new GatewayError(403, "permission_error", "This API key's app no longer exists.");
  const organization = resolveOrganization(snapshot, key, input.metadata.organization);
  const action = input.action ?? (input.explicitModel ? "*" : null);
  if (!action) {
    throw new GatewayError(400, "invalid_request_error", 'Name the action: model "auto" needs metadata.action or the x-llm-action header.', { param: "metadata.action" });
  }
  if (!input.explicitModel && !isKnownAction(snapshot, app.id, action)) {
    throw new GatewayError(400, "invalid_request_error", `Unknown action "${action}" for app "${app.code}".`, { param: "metadata.action" });
  }
  return {
    requestId: input.requestId ?? randomUUID(),
    receivedAt: Date.now(),
    key,
    app,
    organization,
    actionType: action,
    explicitModel: input.explicitModel,
    metadata: input.metadata,
  };
}
