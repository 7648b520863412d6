import { sql, type RawBuilder } from "kysely";
import {
  AUDIT_AREAS, BUDGET_FIELDS, GATEWAY_ACTOR, SERVICE_ACTORS, SYSTEM_ACTOR, TABLE_FIELDS, isNamedServiceActor, namedActorLabel,
  tablesMatchingLabel,
  type RefKind,
} from "@/lib/engine/audit-areas";
import { DEFAULT_TIME_ZONE, addDays, startOfDay } from "@/lib/engine/date-range";
import { readableEntry, type AuditRowInput, type NameMaps, type ReadableEntry, type TextRow } from "@/lib/engine/audit-format";
import type { AuditFilterValues } from "@/lib/schemas/audit-filters";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";

/**
 * The audit trail for the dashboard, read under RLS: platform admins see every change, an
 * organization's admins the changes filed under their organization, everyone else nothing.
 * Filters (area, actor, organization, days of the reporting time zone, a search over names and
 * values) run in SQL;
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
  // A named service writer ("gateway", "job:retrain"): the recorded actor_kind.
  if (isNamedServiceActor(actor)) return sql<boolean>`(actor_email is null and actor_kind = ${actor})`;
  // The inferred labels cover the service writes that did not name themselves (older rows).
  const service = SERVICE_ACTORS.find((a) => a.key === actor);
  if (service) return sql<boolean>`(actor_email is null and actor_kind is null and actor_role = 'service' and table_name in (${sql.join(service.tables.map((t) => sql`${t}`))}))`;
  if (actor === SYSTEM_ACTOR.key) {
    const jobTables = SERVICE_ACTORS.flatMap((a) => [...a.tables]);
    return sql<boolean>`(actor_email is null and actor_kind is null and actor_role = 'service' and table_name not in (${sql.join(jobTables.map((t) => sql`${t}`))}))`;
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
    or actor_kind ilike ${p}
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

function conditions(filters: AuditFilterValues, zone: string): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (filters.area) out.push(areaCondition(filters.area));
  if (filters.actor) out.push(actorCondition(filters.actor));
  if (filters.org) out.push(sql<boolean>`organization_id = ${filters.org}::uuid`);
  // Days of the reporting time zone, as instants (the zone's midnights).
  if (filters.from) out.push(sql<boolean>`created_at >= ${startOfDay(filters.from, zone).toISOString()}::timestamptz`);
  if (filters.to) out.push(sql<boolean>`created_at < ${startOfDay(addDays(filters.to, 1), zone).toISOString()}::timestamptz`);
  if (filters.q) out.push(searchCondition(filters.q));
  return out;
}

const where = (conds: RawBuilder<boolean>[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

interface RawRow {
  id: string | number;
  created_at: Date | string;
  actor_email: string | null;
  actor_role: string;
  actor_kind: string | null;
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
    actorKind: r.actor_kind,
    table: r.table_name,
    recordId: r.record_id,
    organizationId: r.organization_id,
    action: r.action,
    before: r.before_text,
    after: r.after_text,
  };
}

/** Rows as text, so numerics keep every digit (JSON numbers would go through a double). */
function selectRows(tx: UserTx, conds: RawBuilder<boolean>[], limit: number) {
  return sql<RawRow>`
      select id, created_at, actor_email, actor_role, actor_kind, table_name, record_id, organization_id::text as organization_id, action,
        (select jsonb_object_agg(b.key, b.value) from jsonb_each_text(before) b) as before_text,
        (select jsonb_object_agg(a.key, a.value) from jsonb_each_text(after) a) as after_text
      from public.audit_log ${where(conds)}
      order by id desc limit ${limit}`.execute(tx);
}

async function countRows(tx: UserTx, conds: RawBuilder<boolean>[]): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from public.audit_log ${where(conds)}`.execute(tx);
  return Number(rows[0]?.n ?? 0);
}

/** One page of entries; `zone` is the reporting time zone of the date filter and the times shown. */
export async function loadAudit(db: Database, claims: JwtClaims, filters: AuditFilterValues, limit = 50, zone = DEFAULT_TIME_ZONE): Promise<AuditPage> {
  const conds = conditions(filters, zone);
  const pageConds = filters.before !== undefined ? [...conds, sql<boolean>`id < ${filters.before}`] : conds;
  return withUser(db, claims, async (tx) => {
    const { rows } = await selectRows(tx, pageConds, limit + 1);
    const total = await countRows(tx, conds);
    const page = rows.slice(0, limit).map(toInput);
    const names = await resolveNames(tx, referencedIds(page));
    return {
      entries: page.map((r) => readableEntry(r, names, zone)),
      total,
      nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  });
}

export type AuditExport = { ok: true; entries: ReadableEntry[] } | { ok: false; total: number };

/**
 * Every entry of the filters (no cursor) for the CSV, under the same RLS as the page, or, past
 * `limit` entries, only their number (the route answers 413 rather than a truncated file).
 */
export async function loadAuditExport(db: Database, claims: JwtClaims, filters: AuditFilterValues, limit: number, zone = DEFAULT_TIME_ZONE): Promise<AuditExport> {
  const conds = conditions({ ...filters, before: undefined }, zone);
  return withUser(db, claims, async (tx) => {
    const total = await countRows(tx, conds);
    if (total > limit) return { ok: false, total };
    const rows = (await selectRows(tx, conds, limit)).rows.map(toInput);
    const names = await resolveNames(tx, referencedIds(rows));
    return { ok: true, entries: rows.map((r) => readableEntry(r, names, zone)) };
  });
}

/** What the filters offer: the reader's organizations and whoever appears in the trail they can read. */
export async function loadAuditFilterOptions(db: Database, claims: JwtClaims): Promise<AuditFilterOptions> {
  return withUser(db, claims, async (tx) => {
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const { rows } = await sql<{ email: string }>`
      select distinct actor_email as email from public.audit_log where actor_email is not null order by 1 limit 200`.execute(tx);
    const { rows: kinds } = await sql<{ kind: string }>`
      select distinct actor_kind as kind from public.audit_log where actor_kind is not null order by 1 limit 100`.execute(tx);
    const named = [...new Set([GATEWAY_ACTOR, ...kinds.map((k) => k.kind)])];
    return {
      organizations,
      actors: [
        ...rows.map((r) => ({ value: r.email, label: r.email })),
        ...named.map((k) => ({ value: k, label: namedActorLabel(k) })),
        ...SERVICE_ACTORS.map((a) => ({ value: a.key, label: `${a.label} (earlier entries)` })),
        { value: SYSTEM_ACTOR.key, label: `${SYSTEM_ACTOR.label} (seed, start-up, scripts)` },
      ],
    };
  });
}
