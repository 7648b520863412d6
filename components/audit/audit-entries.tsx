import { Badge } from "@/components/ui/badge";
import type { ReadableChange, ReadableEntry } from "@/lib/engine/audit-format";

/**
 * The audit trail as a list of readable changes: area, name, who, when, and a small table of the
 * changed fields whose "Before" and "After" columns are labelled (not told apart by colour), so a
 * screen reader reads "Priority, before 100, after 200". Narrow screens wrap, never scroll sideways.
 */

function Value({ text }: { text: string | null }) {
  return text === null ? <span className="text-muted-foreground">none</span> : <span className="break-words">{text}</span>;
}

function ChangeRow({ change, columns }: { change: ReadableChange; columns: 1 | 2 }) {
  return (
    <tr className="border-t align-top">
      <th scope="row" className="py-1 pr-3 text-left font-normal break-words text-muted-foreground">
        {change.label}
      </th>
      {change.secret ? (
        <td colSpan={columns} className="py-1 italic">changed (secret, not shown)</td>
      ) : columns === 2 ? (
        <>
          <td className="py-1 pr-3 font-mono"><Value text={change.before} /></td>
          <td className="py-1 font-mono"><Value text={change.after} /></td>
        </>
      ) : (
        <td className="py-1 font-mono"><Value text={change.after ?? change.before} /></td>
      )}
    </tr>
  );
}

function Changes({ entry }: { entry: ReadableEntry }) {
  if (entry.changes.length === 0) return <p className="text-xs text-muted-foreground">No field that is shown here changed.</p>;
  const columns = entry.action === "update" ? 2 : 1;
  return (
    <table className="w-full table-fixed text-xs">
      <caption className="sr-only">Fields of {entry.area.toLowerCase()} {entry.subject}, {entry.verb}</caption>
      <thead>
        <tr className="text-left">
          <th scope="col" className="w-1/3 py-1 pr-3 font-medium">Field</th>
          {columns === 2 ? (
            <>
              <th scope="col" className="py-1 pr-3 font-medium">Before</th>
              <th scope="col" className="py-1 font-medium">After</th>
            </>
          ) : (
            <th scope="col" className="py-1 font-medium">{entry.action === "delete" ? "Last value" : "Value"}</th>
          )}
        </tr>
      </thead>
      <tbody>
        {entry.changes.map((c) => <ChangeRow key={c.field} change={c} columns={columns} />)}
      </tbody>
    </table>
  );
}

export function AuditEntries({ entries }: { entries: ReadableEntry[] }) {
  return (
    <ol aria-label="Changes" className="flex flex-col gap-3">
      {entries.map((e) => (
        <li key={e.id} className="min-w-0 rounded-lg border p-4" data-testid="audit-entry">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h2 className="min-w-0 text-sm font-medium break-words">
              <span className="text-muted-foreground">{e.area}</span> {e.subject}{" "}
              <Badge variant="outline" className="align-middle">{e.verb}</Badge>
            </h2>
            <time dateTime={e.at} className="font-mono text-xs text-muted-foreground">{e.when}</time>
          </div>
          <p className="mt-1 mb-2 text-xs break-words text-muted-foreground">
            by <span className="text-foreground">{e.actor}</span>
            {e.organization && <> · organization <span className="text-foreground">{e.organization}</span></>}
          </p>
          <Changes entry={e} />
        </li>
      ))}
    </ol>
  );
}
