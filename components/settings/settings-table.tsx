import { Pencil, Plus } from "lucide-react";
import { TableCard } from "@/components/dashboard/table-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { SettingKeyView, SettingRow, SettingsPageData } from "@/lib/db/settings";
import type { SettingFormValues, SettingScope } from "@/lib/schemas/app-setting";
import { DeleteSettingButton } from "./delete-setting-button";
import { SettingFormDialog } from "./setting-form-dialog";
import { SettingValue, settingValueText } from "./setting-value";

interface SettingsTableProps {
  data: SettingsPageData;
  /** null = platform admin (every scope and organization); [] = read-only. */
  writableOrgIds: string[] | null;
}

function scopeLabel(row: Pick<SettingRow, "scope" | "appName" | "organizationName">): string {
  if (row.scope === "global") return "global";
  if (row.scope === "app") return `app · ${row.appName ?? "?"}`;
  return `organization · ${row.organizationName ?? "?"}${row.appName ? ` · ${row.appName}` : ""}`;
}

function formOf(row: SettingRow): SettingFormValues {
  return {
    id: row.id, key: row.key, scope: row.scope, appId: row.appId, organizationId: row.organizationId, valueType: row.valueType,
    value: settingValueText(row.value, row.valueType), minValue: row.minValue ?? "", maxValue: row.maxValue ?? "", description: row.description ?? "",
  };
}

/** A new override of an existing key, at the narrowest scope the user may write. */
function overrideOf(view: SettingKeyView, writableOrgIds: string[] | null): SettingFormValues {
  const base = view.rows[view.rows.length - 1] ?? view.rows[0];
  return {
    key: view.key, scope: "organization", appId: null, organizationId: writableOrgIds?.[0] ?? null, valueType: base?.valueType ?? "string",
    value: settingValueText(view.effective.value, base?.valueType ?? null), minValue: base?.minValue ?? "", maxValue: base?.maxValue ?? "", description: "",
  };
}

const EMPTY: SettingFormValues = { key: "", scope: "global", appId: null, organizationId: null, valueType: "bool", value: "true", minValue: "", maxValue: "", description: "" };

function sourceText(view: SettingKeyView): string {
  const s = view.effective.source;
  if (s.scope === "default") return s.ignored ? `built-in default (${s.ignored})` : "built-in default";
  const row = view.rows.find((r) => r.id === s.id);
  return row ? scopeLabel(row) : s.scope;
}

export function SettingsTable({ data, writableOrgIds }: SettingsTableProps) {
  const scopes: SettingScope[] = writableOrgIds === null ? ["global", "app", "organization"] : ["organization"];
  const canWriteAny = writableOrgIds === null || writableOrgIds.length > 0;
  const canWrite = (row: SettingRow) =>
    writableOrgIds === null || (row.scope === "organization" && row.organizationId !== null && writableOrgIds.includes(row.organizationId));
  return (
    <TableCard
      layout="padded"
      title="Settings"
      description="Each key's effective value for the chosen app and organization, and every row you can see that sets it."
      action={
        writableOrgIds === null && (
          <SettingFormDialog data={data} initial={EMPTY} scopes={scopes} writableOrgIds={writableOrgIds} title="New setting" trigger={<Button size="sm"><Plus /> New setting</Button>} />
        )
      }
      isEmpty={data.keys.length === 0}
      emptyText="No settings you can see. The gateway uses its built-in defaults."
    >
      <TableHeader>
        <TableRow>
          <TableHead>Key</TableHead>
          <TableHead>Effective value</TableHead>
          <TableHead>Rows by scope</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {data.keys.map((view) => (
          <TableRow key={view.key} data-key={view.key} className="align-top">
            <TableCell className="max-w-64 whitespace-normal">
              <div className="font-mono text-xs font-medium">{view.key}</div>
              {view.rows[view.rows.length - 1]?.description && (
                <p className="mt-1 text-xs text-muted-foreground">{view.rows[view.rows.length - 1]?.description}</p>
              )}
            </TableCell>
            <TableCell className="whitespace-normal">
              <div data-testid="effective-value"><SettingValue value={view.effective.value} type={view.rows[0]?.valueType ?? null} /></div>
              <p className="mt-1 text-xs text-muted-foreground">from {sourceText(view)}</p>
            </TableCell>
            <TableCell className="whitespace-normal">
              <ul className="grid gap-1.5">
                {view.rows.map((row) => (
                  <li key={row.id} className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge variant={row.id === view.effective.source.id ? "default" : "outline"}>{scopeLabel(row)}</Badge>
                    <SettingValue value={row.value} type={row.valueType} />
                    <span className="text-xs text-muted-foreground">
                      {row.valueType}
                      {(row.minValue !== null || row.maxValue !== null) && ` · ${row.minValue ?? "−∞"}…${row.maxValue ?? "+∞"}`}
                    </span>
                    {canWrite(row) && (
                      <span className="ml-auto flex">
                        <SettingFormDialog data={data} initial={formOf(row)} scopes={scopes} writableOrgIds={writableOrgIds} title={`Edit ${row.key}`} trigger={<Button variant="ghost" size="icon" className="size-8" aria-label={`Edit ${row.key} (${scopeLabel(row)})`}><Pencil /></Button>} />
                        <DeleteSettingButton id={row.id} label={`${row.key} (${scopeLabel(row)})`} />
                      </span>
                    )}
                  </li>
                ))}
                {canWriteAny && (
                  <li>
                    <SettingFormDialog data={data} initial={overrideOf(view, writableOrgIds)} scopes={scopes} writableOrgIds={writableOrgIds} title={`Override ${view.key}`} trigger={<Button variant="link" size="sm" className="h-auto px-0 text-xs">Add override</Button>} />
                  </li>
                )}
              </ul>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
