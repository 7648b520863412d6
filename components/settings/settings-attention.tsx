import { TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import type { SettingRow, SettingsPageData } from "@/lib/db/settings";

/**
 * Settings rows that need attention: their value was saved before each key had one definition
 * (type and bounds) and does not fit it. Migration 20261208020000 gave every row its definition's
 * type and bounds but never changes a value, so each such row is listed here with the
 * definition's bounds; the gateway reads the built-in default for it until someone saves a valid
 * value (the row's Edit in the table below).
 */

function where(row: SettingRow): string {
  if (row.scope === "global") return "global";
  if (row.scope === "app") return `app ${row.appName ?? "?"}`;
  return `organization ${row.organizationName ?? "?"}${row.appName ? ` · app ${row.appName}` : ""}`;
}

function bounds(row: SettingRow): string {
  if (row.valueType !== "int" && row.valueType !== "float") return `a ${row.valueType} setting`;
  return `a ${row.valueType} setting, ${row.minValue ?? "−∞"} … ${row.maxValue ?? "+∞"}`;
}

export function SettingsAttention({ items }: { items: SettingsPageData["needsAttention"] }) {
  if (items.length === 0) return null;
  return (
    <Alert aria-labelledby="settings-attention-title">
      <TriangleAlert aria-hidden="true" />
      <AlertTitle id="settings-attention-title">
        Needs attention: {items.length} {items.length === 1 ? "setting holds a value" : "settings hold values"} outside the definition
      </AlertTitle>
      <AlertDescription>
        <p className="text-foreground">The gateway uses the built-in default for these rows until a valid value is saved.</p>
        <ul className="mt-2 flex list-disc flex-col gap-1 pl-4 text-foreground">
          {items.map(({ row, problem }) => (
            <li key={row.id} className="break-words">
              <span className="font-mono">{row.key}</span> ({where(row)}) {problem}; defined as {bounds(row)}.
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
