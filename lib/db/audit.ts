import type { Database } from "./client";
import { withUser, type JwtClaims } from "./rls";

/**
 * The audit trail for the dashboard, read under RLS: platform admins see every change, an
 * organization's admins the changes filed under their organization, everyone else nothing.
 */
export const AUDITED_TABLES = [
  "organizations", "memberships", "apps", "llm_providers", "llm_models", "model_prices",
  "llm_configurations", "app_configuration", "api_keys", "learning_overrides", "organization_webhooks",
] as const;

export interface AuditFilters {
  table?: string;
  /** Keyset cursor: entries with an id below it. */
  before?: number;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  id: number;
  createdAt: string;
  actorEmail: string | null;
  actorRole: string;
  table: string;
  recordId: string | null;
  action: "insert" | "update" | "delete";
  changes: FieldChange[];
}

type Row = Record<string, unknown> | null;

/** The fields whose values differ between before and after (all fields for inserts/deletes). */
export function diffRows(before: Row, after: Row): FieldChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const changes: FieldChange[] = [];
  for (const field of keys) {
    const b = before?.[field];
    const a = after?.[field];
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ field, before: b ?? null, after: a ?? null });
  }
  return changes;
}

export async function loadAudit(db: Database, claims: JwtClaims, filters: AuditFilters, limit = 50): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const rows = await withUser(db, claims, (tx) => {
    let q = tx
      .selectFrom("audit_log")
      .select(["id", "created_at", "actor_email", "actor_role", "table_name", "record_id", "action", "before", "after"])
      .orderBy("id", "desc")
      .limit(limit + 1);
    if (filters.table) q = q.where("table_name", "=", filters.table);
    if (filters.before !== undefined) q = q.where("id", "<", filters.before);
    return q.execute();
  });
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      createdAt: r.created_at.toISOString(),
      actorEmail: r.actor_email,
      actorRole: r.actor_role,
      table: r.table_name,
      recordId: r.record_id,
      action: r.action,
      changes: diffRows(r.before as Row, r.after as Row),
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
