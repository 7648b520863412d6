import { sql, type RawBuilder } from "kysely";
import { NOT_RECORDED } from "@/lib/schemas/calls-href";
import { sortOf, type CallCursor, type CallFilters } from "@/lib/schemas/call-filters";
import { DEFAULT_TIME_ZONE, startOfDay } from "@/lib/engine/date-range";

/**
 * The Calls page's filters and sorts as SQL over `llm_calls as c`, shared by the list, the total
 * line and the CSV so the three always describe the same calls. Values are bound parameters;
 * only the fixed column names below are spliced in. Date bounds are constants so Postgres prunes
 * the monthly partitions.
 */

/** The day after a YYYY-MM-DD date, so a "to" date includes its whole day. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** `column = value`, or `column is null` for NOT_RECORDED. */
function equalsOrNull(column: string, value: string, cast = ""): RawBuilder<boolean> {
  const ref = sql.ref(column);
  if (value === NOT_RECORDED) return sql<boolean>`${ref} is null`;
  return cast ? sql<boolean>`${ref} = ${value}::uuid` : sql<boolean>`${ref} = ${value}`;
}

/** `%text%` for ILIKE with the pattern characters escaped. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Without cost" means attempted but not priced (unknown price or tokens), as Completeness counts
 * it: calls refused before any provider was called (failed, no provider) have nothing to price.
 */
const ATTEMPTED = sql<boolean>`(c.provider_code is not null or c.status = 'ok')`;
export const WITHOUT_COST = sql<boolean>`c.cost is null and ${ATTEMPTED}`;
/** Incomplete as Completeness counts it: attempted, and a field of a complete record missing. */
const INCOMPLETE = sql<boolean>`not c.record_complete and ${ATTEMPTED}`;

export function callConditions(filters: CallFilters): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (filters.organization) out.push(equalsOrNull("c.organization_id", filters.organization, "uuid"));
  if (filters.app) out.push(equalsOrNull("c.app_id", filters.app, "uuid"));
  if (filters.action) out.push(equalsOrNull("c.action_type", filters.action));
  if (filters.model) out.push(equalsOrNull("c.model_code", filters.model));
  if (filters.provider) out.push(equalsOrNull("c.provider_code", filters.provider));
  if (filters.stage) out.push(equalsOrNull("c.pipeline_stage", filters.stage));
  if (filters.request_type) out.push(equalsOrNull("c.request_type", filters.request_type));
  if (filters.status) out.push(sql<boolean>`c.status = ${filters.status}`);
  if (filters.without_cost) out.push(WITHOUT_COST);
  if (filters.fallback_priced) out.push(sql<boolean>`c.pricing_source = 'fallback'`);
  if (filters.cache_hit) out.push(sql<boolean>`c.cached_tokens > 0`);
  if (filters.response_cache) out.push(sql<boolean>`c.cache_hit`);
  if (filters.incomplete) out.push(INCOMPLETE);
  if (filters.requestId) out.push(sql<boolean>`c.request_id = ${filters.requestId}::uuid`);
  // Days of the page's zone (README "Date ranges"): from its midnight to the midnight after `to`.
  const zone = filters.zone ?? filters.tz ?? DEFAULT_TIME_ZONE;
  if (filters.from) out.push(sql<boolean>`c.created_at >= ${startOfDay(filters.from, zone).toISOString()}::timestamptz`);
  if (filters.to) out.push(sql<boolean>`c.created_at < ${startOfDay(nextDay(filters.to), zone).toISOString()}::timestamptz`);
  if (filters.q) {
    const q = filters.q;
    const like = contains(q);
    const request = UUID.test(q) ? sql`c.request_id = ${q}::uuid` : sql`c.request_id::text like ${`${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`;
    out.push(sql<boolean>`(${request} or c.user_ref ilike ${like} or c.model_code ilike ${like} or c.action_type ilike ${like})`);
  }
  return out;
}

/** The sort key per sort: never null (a missing value sorts as -1: last newest-first, first oldest-first). */
const SORT_KEYS = {
  cost: sql`coalesce(c.cost, -1)`,
  tokens: sql`coalesce(c.total_tokens, -1)::numeric`,
  latency: sql`coalesce(c.latency_ms, -1)::numeric`,
} as const;

export interface CallOrder {
  /** Selected as `sort_key` (exact text) when the sort is not by time. */
  key: RawBuilder<string> | null;
  dir: "asc" | "desc";
  /** The keyset condition "after the cursor" in this order, if there is a cursor. */
  after: RawBuilder<boolean> | null;
}

/**
 * A total, stable order: the sort key, then created_at, then id, all in the chosen direction, so
 * a row tuple comparison is the keyset condition and ties never skip or repeat a row.
 */
export function callOrder(filters: CallFilters, cursor: CallCursor | null): CallOrder {
  const { sort, dir } = sortOf(filters);
  const key = sort === "time" ? null : SORT_KEYS[sort];
  const op = sql.raw(dir === "desc" ? "<" : ">");
  let after: RawBuilder<boolean> | null = null;
  if (cursor) {
    after = key
      ? sql<boolean>`(${key}, c.created_at, c.id) ${op} (${cursor.key ?? "-1"}::numeric, ${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`
      : sql<boolean>`(c.created_at, c.id) ${op} (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
  }
  return { key: key ? sql<string>`(${key})::text` : null, dir, after };
}

/** The ORDER BY list for `callOrder`. */
export function orderBy(filters: CallFilters): RawBuilder<unknown> {
  const { sort, dir } = sortOf(filters);
  const d = sql.raw(dir);
  return sort === "time" ? sql`c.created_at ${d}, c.id ${d}` : sql`${SORT_KEYS[sort]} ${d}, c.created_at ${d}, c.id ${d}`;
}
