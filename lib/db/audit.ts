import { sql, type RawBuilder } from "kysely";
import {
  AUDIT_AREAS, BUDGET_FIELDS, SERVICE_ACTORS, SYSTEM_ACTOR, TABLE_FIELDS, tablesMatchingLabel,
  type RefKind,
} from "@/lib/engine/audit-areas";
import { readableEntry, type AuditRowInput, type NameMaps, type ReadableEntry, type TextRow } from "@/lib/engine/audit-format";
import type { AuditFilterValues } from "@/lib/schemas/audit-filters";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";

/**
 * The audit trail for the dashboard, read under RLS: platform admins see every change, an
 * organization's admins the changes filed under their organization, everyone else nothing.
 * Filters (area, actor, organization, UTC dates, a search over names and values) run in SQL;
 * ids are resolved to names in the same RLS transaction (a hidden or deleted entity keeps its
 * last known name from the audit trail, else "deleted …"); lib/engine/audit-format.ts makes
 * the rows readable.
 */

export interface AuditPage {
  entries: ReadableEntry[];
  /** Entries matching the filters (all pages). */
  total: number;
  /** Cursor of the next page, null on the last one. */
  nextBefore: number | null;
}

export interface AuditFilterOptions {
  organizations: { id: string; name: string }[];
  actors: { value: string; label: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%text%` for ILIKE, with the pattern characters matched literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function areaCondition(area: NonNullable<AuditFilterValues["area"]>): RawBuilder<boolean> {
  if (area === "budget") {
    const changed = BUDGET_FIELDS.map((f) => sql`(before ->> ${f}) is distinct from (after ->> ${f})`);
    return sql<boolean>`(table_name = 'organization_webhooks' or (table_name = 'organizations' and action = 'update' and (${sql.join(changed, sql` or `)})))`;
  }
  const tables = AUDIT_AREAS.find((a) => a.key === area)!.tables;
  return sql<boolean>`table_name in (${sql.join(tables.map((t) => sql`${t}`))})`;
}

function actorCondition(actor: string): RawBuilder<boolean> {
  const service = SERVICE_ACTORS.find((a) => a.key === actor);
  if (service) return sql<boolean>`(actor_email is null and actor_role = 'service' and table_name in (${sql.join(service.tables.map((t) => sql`${t}`))}))`;
  if (actor === SYSTEM_ACTOR.key) {
    const jobTables = SERVICE_ACTORS.flatMap((a) => [...a.tables]);
    return sql<boolean>`(actor_email is null and actor_role = 'service' and table_name not in (${sql.join(jobTables.map((t) => sql`${t}`))}))`;
  }
  return sql<boolean>`lower(actor_email) = lower(${actor})`;
}

/** Names (of the entity or of what it refers to), values, the actor, the area's label. */
function searchCondition(text: string): RawBuilder<boolean> {
  const p = containsPattern(text);
  const row = sql`coalesce(after, before)`;
  const refs = (field: string, ids: RawBuilder<unknown>) => sql`(${row} ->> ${field}) in (${ids})`;
  const labelled = tablesMatchingLabel(text);
  return sql<boolean>`(
    actor_email ilike ${p}
    or record_id ilike ${p}
    or exists (select 1 from jsonb_each_text(coalesce(before, '{}'::jsonb)) v where v.value ilike ${p})
    or exists (select 1 from jsonb_each_text(coalesce(after, '{}'::jsonb)) v where v.value ilike ${p})
    or organization_id in (select o.id from public.organizations o where o.name ilike ${p} or o.slug ilike ${p})
    or ${refs("app_id", sql`select a.id::text from public.apps a where a.name ilike ${p} or a.code ilike ${p}`)}
    or ${refs("model_id", sql`select m.id::text from public.llm_models m where m.display_name ilike ${p} or m.model_code ilike ${p}`)}
    or ${refs("provider_id", sql`select pr.id::text from public.llm_providers pr where pr.name ilike ${p} or pr.code ilike ${p}`)}
    or ${refs("user_id", sql`select u.id::text from public.profiles u where u.email ilike ${p}`)}
    ${labelled.length ? sql`or table_name in (${sql.join(labelled.map((t) => sql`${t}`))})` : sql``}
  )`;
}

function conditions(filters: AuditFilterValues): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (filters.area) out.push(areaCondition(filters.area));
  if (filters.actor) out.push(actorCondition(filters.actor));
  if (filters.org) out.push(sql<boolean>`organization_id = ${filters.org}::uuid`);
  if (filters.from) out.push(sql<boolean>`created_at >= (${filters.from}::date)::timestamp at time zone 'UTC'`);
  if (filters.to) out.push(sql<boolean>`created_at < (${filters.to}::date + 1)::timestamp at time zone 'UTC'`);
  if (filters.q) out.push(searchCondition(filters.q));
  return out;
}

const where = (conds: RawBuilder<boolean>[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

interface RawRow {
  id: string | number;
  created_at: Date | string;
  actor_email: string | null;
  actor_role: string;
  table_name: string;
  record_id: string | null;
  organization_id: string | null;
  action: "insert" | "update" | "delete";
  before_text: TextRow | null;
  after_text: TextRow | null;
}

/** Ids the rows refer to, by kind (the organization they are filed under, and every ref field). */
function referencedIds(rows: readonly AuditRowInput[]): Record<RefKind, Set<string>> {
  const ids: Record<RefKind, Set<string>> = { organization: new Set(), app: new Set(), model: new Set(), provider: new Set(), user: new Set() };
  const add = (kind: RefKind, id: string | null | undefined) => {
    if (id && UUID.test(id)) ids[kind].add(id);
  };
  for (const r of rows) {
    add("organization", r.organizationId);
    for (const [field, spec] of Object.entries(TABLE_FIELDS[r.table] ?? {})) {
      const type = spec.type;
      if (type?.kind !== "ref" && type?.kind !== "refs") continue;
      for (const side of [r.before, r.after]) {
        const value = side?.[field];
        if (!value) continue;
        if (type.kind === "ref") add(type.ref, value);
        else for (const id of value.match(/[0-9a-f-]{36}/gi) ?? []) add(type.ref, id);
      }
    }
  }
  return ids;
}

const NAME_SOURCES: Record<RefKind, { table: string; name: string; auditName: string }> = {
  organization: { table: "organizations", name: "name", auditName: "name" },
  app: { table: "apps", name: "name", auditName: "name" },
  model: { table: "llm_models", name: "model_code", auditName: "model_code" },
  provider: { table: "llm_providers", name: "name", auditName: "name" },
  user: { table: "profiles", name: "email", auditName: "email" },
};

/** Current names visible to the reader; for the rest, the last name the audit trail recorded. */
async function resolveNames(tx: UserTx, wanted: Record<RefKind, Set<string>>): Promise<NameMaps> {
  const names: NameMaps = { organization: {}, app: {}, model: {}, provider: {}, user: {} };
  for (const kind of Object.keys(wanted) as RefKind[]) {
    const ids = [...wanted[kind]];
    if (ids.length === 0) continue;
    const src = NAME_SOURCES[kind];
    const idList = sql.join(ids.map((id) => sql`${id}::uuid`));
    const { rows } = await sql<{ id: string; name: string }>`
      select id::text as id, ${sql.ref(src.name)}::text as name from ${sql.table(`public.${src.table}`)} where id in (${idList})`.execute(tx);
    for (const r of rows) names[kind][r.id] = r.name;
    const missing = ids.filter((id) => !(id in names[kind]));
    if (missing.length === 0 || kind === "user") continue;
    const { rows: last } = await sql<{ id: string; name: string | null }>`
      select distinct on (record_id) record_id as id, coalesce(after, before) ->> ${src.auditName} as name
      from public.audit_log where table_name = ${src.table} and record_id in (${sql.join(missing.map((id) => sql`${id}`))})
      order by record_id, id desc`.execute(tx);
    for (const r of last) if (r.name) names[kind][r.id] = `${r.name} (deleted)`;
  }
  return names;
}

function toInput(r: RawRow): AuditRowInput {
  return {
    id: Number(r.id),
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
    actorEmail: r.actor_email,
    actorRole: r.actor_role,
    table: r.table_name,
    recordId: r.record_id,
    organizationId: r.organization_id,
    action: r.action,
    before: r.before_text,
    after: r.after_text,
  };
}

export async function loadAudit(db: Database, claims: JwtClaims, filters: AuditFilterValues, limit = 50): Promise<AuditPage> {
  const conds = conditions(filters);
  const pageConds = filters.before !== undefined ? [...conds, sql<boolean>`id < ${filters.before}`] : conds;
  return withUser(db, claims, async (tx) => {
    // Rows as text, so numerics keep every digit (JSON numbers would go through a double).
    const { rows } = await sql<RawRow>`
      select id, created_at, actor_email, actor_role, table_name, record_id, organization_id::text as organization_id, action,
        (select jsonb_object_agg(b.key, b.value) from jsonb_each_text(before) b) as before_text,
        (select jsonb_object_agg(a.key, a.value) from jsonb_each_text(after) a) as after_text
      from public.audit_log ${where(pageConds)}
      order by id desc limit ${limit + 1}`.execute(tx);
    const { rows: count } = await sql<{ n: string | number }>`select count(*) as n from public.audit_log ${where(conds)}`.execute(tx);
    const page = rows.slice(0, limit).map(toInput);
    const names = await resolveNames(tx, referencedIds(page));
    return {
      entries: page.map((r) => readableEntry(r, names)),
      total: Number(count[0]?.n ?? 0),
      nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  });
}

/** What the filters offer: the reader's organizations and whoever appears in the trail they can read. */
export async function loadAuditFilterOptions(db: Database, claims: JwtClaims): Promise<AuditFilterOptions> {
  return withUser(db, claims, async (tx) => {
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const { rows } = await sql<{ email: string }>`
      select distinct actor_email as email from public.audit_log where actor_email is not null order by 1 limit 200`.execute(tx);
    return {
      organizations,
      actors: [
        ...rows.map((r) => ({ value: r.email, label: r.email })),
        ...SERVICE_ACTORS.map((a) => ({ value: a.key, label: a.label })),
        { value: SYSTEM_ACTOR.key, label: `${SYSTEM_ACTOR.label} (seed, start-up, scripts)` },
      ],
    };
  });
}
