import { Badge } from "@/components/ui/badge";

/**
 * A call's status. Text colours are the darker (light theme) and lighter (dark theme) shades so
 * the badges keep a 4.5:1 contrast on the table's background (the shared success/warning badge
 * tints fall short of it).
 */
export function CallStatusBadge({ status, isFallback }: { status: "ok" | "failed"; isFallback?: boolean }) {
  return (
    <span className="inline-flex gap-1">
      {status === "ok" ? (
        <Badge variant="outline" className="border-emerald-700/40 text-emerald-800 dark:border-emerald-400/40 dark:text-emerald-300">
          ok
        </Badge>
      ) : (
        <Badge variant="outline" className="border-red-700/40 text-red-700 dark:border-red-400/40 dark:text-red-300">
          failed
        </Badge>
      )}
      {isFallback ? (
        <Badge variant="outline" className="border-amber-700/40 text-amber-800 dark:border-amber-400/40 dark:text-amber-300">
          fallback
        </Badge>
      ) : null}
    </span>
  );
}
