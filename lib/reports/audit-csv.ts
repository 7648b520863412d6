import { isoInZone, type ReadableEntry } from "@/lib/engine/audit-format";
import { csvLine } from "@/lib/reports/csv";

/**
 * The Audit CSV: one line per changed field of each entry of the filter (an entry without a shown
 * field has one line with empty field columns), newest first. Values are the page's own before →
 * after texts, so money keeps every digit with its currency and secrets read "changed"; times are
 * ISO 8601 with the reporting time zone's offset. Read under the same RLS as the page.
 */

/** Most entries one download holds; past it the route answers 413 and asks for a narrower filter. */
export const AUDIT_CSV_LIMIT = 10_000;

export const AUDIT_CSV_HEADER = [
  "changed_at", "time_zone", "entry_id", "who", "who_kind", "area", "subject", "organization", "action", "field", "before", "after",
] as const;

export function auditCsvLines(entry: ReadableEntry, zone: string): string[] {
  const head = [
    isoInZone(new Date(entry.at), zone), zone, entry.id, entry.actor, entry.actorIsUser ? "user" : "service",
    entry.area, entry.subject, entry.organization ?? "", entry.verb,
  ];
  if (entry.changes.length === 0) return [csvLine([...head, "", "", ""])];
  return entry.changes.map((c) =>
    csvLine([...head, c.label, c.secret ? "" : (c.before ?? ""), c.secret ? "changed" : (c.after ?? "")]),
  );
}

export function auditToCsv(entries: readonly ReadableEntry[], zone: string): string {
  const lines = [AUDIT_CSV_HEADER.join(",")];
  for (const e of entries) lines.push(...auditCsvLines(e, zone));
  return `${lines.join("\r\n")}\r\n`;
}
