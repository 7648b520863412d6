import {
  BUDGET_FIELDS, SECRET_FIELD, TABLE_FIELDS, namedActorLabel, serviceActor, tableLabel,
  type FieldSpec, type RefKind,
} from "./audit-areas";
import { DEFAULT_TIME_ZONE, offsetMinutes } from "./date-range";

/**
 * Turns an audit_log row (whole rows before and after, as the triggers copy them) into what a
 * reader needs: the area ("Routing rule"), the entity's name, who (an email; "gateway" or
 * "job: retrain" for a service writer that named itself; else "learning job" / "retention job" /
 * "system", inferred for older writes without a signed-in user), when (one format), and the
 * changed fields only, with labels, names instead of ids, exact money and no secrets. Pure: the
 * names come from lib/db/audit.ts, resolved under the reader's RLS.
 */

/** A row's fields as text, exactly as PostgreSQL prints them (numerics keep every digit). */
export type TextRow = Record<string, string | null>;

export interface AuditRowInput {
  id: number;
  createdAt: Date;
  actorEmail: string | null;
  actorRole: string;
  /** "gateway" or "job:<name>" when a service writer named itself; null for users and older rows. */
  actorKind?: string | null;
  table: string;
  recordId: string | null;
  organizationId: string | null;
  action: "insert" | "update" | "delete";
  before: TextRow | null;
  after: TextRow | null;
}

/** Names of the entities the rows refer to, by id; an id missing here was deleted (or is hidden). */
export type NameMaps = Record<RefKind, Record<string, string>>;

export interface ReadableChange {
  field: string;
  label: string;
  /** Display text; null = no value. */
  before: string | null;
  after: string | null;
  /** A secret (a key hash…): only the fact that it changed is shown. */
  secret: boolean;
}

export interface ReadableEntry {
  id: number;
  table: string;
  recordId: string | null;
  /** ISO 8601, for <time dateTime>. */
  at: string;
  when: string;
  actor: string;
  actorIsUser: boolean;
  area: string;
  subject: string;
  action: "insert" | "update" | "delete";
  verb: "created" | "changed" | "deleted";
  organization: string | null;
  changes: ReadableChange[];
}

const REF_LABELS: Record<RefKind, string> = { organization: "organization", app: "app", model: "model", provider: "provider", user: "user" };
// marks_seen: a statement's internal change marks (lib/db/statement-marks.ts), nothing an auditor reads.
const HIDDEN_FIELDS = new Set(["id", "created_at", "updated_at", "last_used_at", "run_id", "evidence", "marks_seen"]);
const VERBS = { insert: "created", update: "changed", delete: "deleted" } as const;

/** The wall-clock time of `d` in `zone` as "2026-12-07T15:03:05" (no offset). */
function localIso(d: Date, zone: string): { local: string; offset: number } {
  const offset = zone === DEFAULT_TIME_ZONE ? 0 : offsetMinutes(zone, d);
  return { local: new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 19), offset };
}

/** The one timestamp format of the page, in the reporting time zone: "2026-12-07 14:03:05 UTC". */
export function formatAuditTime(value: Date | string, zone: string = DEFAULT_TIME_ZONE): string {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return `${localIso(d, zone).local.replace("T", " ")} ${zone}`;
}

/** ISO 8601 with the zone's offset at that instant, for exports: "2026-12-07T15:03:05+01:00". */
export function isoInZone(value: Date, zone: string = DEFAULT_TIME_ZONE): string {
  const { local, offset } = localIso(value, zone);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? "-" : "+";
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** An exact decimal without trailing zeros past the cents: "0.80000000" → "0.80", "0.000125" stays. */
export function exactAmount(text: string): string {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return text;
  const frac = (m[2] ?? "").replace(/0+$/, "").padEnd(2, "0");
  return `${m[1]}.${frac}`;
}

function sameValue(a: string | null, b: string | null, spec: FieldSpec | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const kind = spec?.type?.kind;
  return (kind === "money" || kind === "price") && exactAmount(a) === exactAmount(b);
}

function refName(names: NameMaps, ref: RefKind, id: string): string {
  return names[ref][id] ?? `deleted ${REF_LABELS[ref]} (${id.slice(0, 8)})`;
}

function parseIdList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [text];
  } catch {
    return [text];
  }
}

/** One field's value as shown; money keeps every digit and says its currency when the row has one. */
export function displayValue(value: string | null, spec: FieldSpec | undefined, row: TextRow, names: NameMaps): string | null {
  if (value === null) return null;
  const type = spec?.type ?? { kind: "text" as const };
  switch (type.kind) {
    case "money": {
      const currency = type.currencyField ? row[type.currencyField] : null;
      return currency ? `${exactAmount(value)} ${currency}` : exactAmount(value);
    }
    case "price":
      return row.currency ? `${exactAmount(value)} ${row.currency}` : exactAmount(value);
    case "time":
      return formatAuditTime(value);
    case "ref":
      return refName(names, type.ref, value);
    case "refs": {
      const list = parseIdList(value);
      return list.length ? list.map((id) => refName(names, type.ref, id)).join(", ") : "none";
    }
    case "secret":
      return "changed";
    case "text":
      return value === "true" ? "yes" : value === "false" ? "no" : structured(value);
  }
}

/** JSON objects and arrays (parameters, scopes) as "max_tokens: 1024, temperature: 0.2" and "llm, admin". */
function structured(value: string): string {
  if (!/^[[{]/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    if (Array.isArray(parsed)) return parsed.length ? parsed.map(show).join(", ") : "none";
    if (parsed && typeof parsed === "object") {
      const entries = Object.entries(parsed);
      return entries.length ? entries.map(([k, v]) => `${k}: ${show(v)}`).join(", ") : "none";
    }
  } catch {
    // Not JSON after all: shown as written.
  }
  return value;
}

function fieldsOf(table: string, before: TextRow | null, after: TextRow | null): [string, FieldSpec | undefined][] {
  const known = TABLE_FIELDS[table];
  if (known) return Object.entries(known);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !HIDDEN_FIELDS.has(k)).sort();
  return keys.map((k) => [k, undefined]);
}

/** Changed fields only (an insert's set fields, a delete's last values), labelled and readable. */
export function readableChanges(row: Pick<AuditRowInput, "table" | "action" | "before" | "after">, names: NameMaps): ReadableChange[] {
  const { before, after } = row;
  const changes: ReadableChange[] = [];
  for (const [field, spec] of fieldsOf(row.table, before, after)) {
    const b = before?.[field] ?? null;
    const a = after?.[field] ?? null;
    if (row.action === "update" ? sameValue(b, a, spec) : (row.action === "insert" ? a : b) === null) continue;
    const label = spec?.label ?? field.replaceAll("_", " ");
    if (spec?.type?.kind === "secret" || SECRET_FIELD.test(field)) {
      changes.push({ field, label, before: null, after: "changed", secret: true });
      continue;
    }
    changes.push({
      field,
      label,
      before: row.action === "insert" ? null : displayValue(b, spec, before ?? {}, names),
      after: row.action === "delete" ? null : displayValue(a, spec, after ?? {}, names),
      secret: false,
    });
  }
  return changes;
}

/** The entity's name: its last known name from the row itself, names of what it refers to. */
export function auditSubject(table: string, row: TextRow | null, recordId: string | null, names: NameMaps): string {
  const r = row ?? {};
  const ref = (kind: RefKind, id: string | null | undefined) => (id ? refName(names, kind, id) : null);
  const pair = (a: string | null, b: string | null | undefined) => [a, b].filter(Boolean).join(" · ");
  const name = (() => {
    switch (table) {
      case "organizations": case "apps": case "llm_providers": case "api_keys": return r.name;
      case "organization_webhooks": return ref("organization", r.organization_id);
      case "memberships": return ref("user", r.user_id);
      case "llm_models": return r.model_code ?? r.display_name;
      case "model_prices": return pair(ref("model", r.model_id), r.currency);
      case "llm_configurations": case "learning_overrides": return pair(ref("app", r.app_id), r.action_type);
      case "app_configuration": return r.key;
      case "llm_calls": return pair(r.partition ?? recordId, r.month);
      default: return null;
    }
  })();
  return name || `deleted ${tableLabel(table).toLowerCase()}`;
}

/** "Budget" when an organization change touched its budget fields only, else the table's label. */
export function auditArea(table: string, changes: readonly ReadableChange[]): string {
  if (table === "organizations" && changes.length > 0 && changes.every((c) => (BUDGET_FIELDS as readonly string[]).includes(c.field))) return "Budget";
  return tableLabel(table);
}

export function auditActor(email: string | null, role: string, table: string, kind: string | null = null): { label: string; isUser: boolean } {
  if (email) return { label: email, isUser: true };
  // A service writer that named itself ("gateway", "job: retrain"); older rows keep the inferred label.
  if (kind) return { label: namedActorLabel(kind), isUser: false };
  if (role === "service") return { label: serviceActor(table).label, isUser: false };
  return { label: "unknown user", isUser: true };
}

export function readableEntry(row: AuditRowInput, names: NameMaps, zone: string = DEFAULT_TIME_ZONE): ReadableEntry {
  const changes = readableChanges(row, names);
  const actor = auditActor(row.actorEmail, row.actorRole, row.table, row.actorKind ?? null);
  const org = row.organizationId && row.table !== "organizations" ? refName(names, "organization", row.organizationId) : null;
  return {
    id: row.id,
    table: row.table,
    recordId: row.recordId,
    at: row.createdAt.toISOString(),
    when: formatAuditTime(row.createdAt, zone),
    actor: actor.label,
    actorIsUser: actor.isUser,
    area: auditArea(row.table, changes),
    subject: auditSubject(row.table, row.after ?? row.before, row.recordId, names),
    action: row.action,
    verb: VERBS[row.action],
    organization: org,
    changes,
  };
}
