"use client";

import type { ReactNode } from "react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { saveSettingAction } from "@/lib/actions/settings/save-setting";
import type { SettingDefinition, SettingsPageData } from "@/lib/db/settings";
import { SETTING_VALUE_TYPES, settingInputSchema, type SettingFormValues, type SettingScope } from "@/lib/schemas/app-setting";

interface SettingFormDialogProps {
  data: Pick<SettingsPageData, "apps" | "organizations" | "definitions">;
  initial: SettingFormValues;
  /** Scopes this user may write (platform admins: all; org admins: organization). */
  scopes: SettingScope[];
  /** Organizations the user may write for; null = any. */
  writableOrgIds: string[] | null;
  title: string;
  trigger: ReactNode;
}

/**
 * The definition an app or organization row follows (its key's type and bounds, set on the global
 * row); null for a global row, which is the definition, or a key not defined yet.
 */
function definitionFor(values: SettingFormValues, definitions: Record<string, SettingDefinition>): SettingDefinition | null {
  if (values.scope === "global") return null;
  return definitions[values.key.trim()] ?? null;
}

/** The row as it will be saved: an app or organization row takes its key's type and bounds. */
function withDefinition(values: SettingFormValues, definitions: Record<string, SettingDefinition>): SettingFormValues {
  const def = definitionFor(values, definitions);
  return def ? { ...values, valueType: def.valueType, minValue: def.minValue ?? "", maxValue: def.maxValue ?? "" } : values;
}

const boundText = (v: unknown, infinity: string) => (v === "" || v === null || v === undefined ? infinity : String(v));

export function SettingFormDialog({ data, initial, scopes, writableOrgIds, title, trigger }: SettingFormDialogProps) {
  const { open, setOpen, values: raw, set, err, pending, submit } = useFormDialog({
    schema: settingInputSchema,
    initial: () => initial,
    // The same zod check then sees the definition's bounds: 5 for a 0…1 setting is refused here.
    toInput: (v) => withDefinition(v, data.definitions),
    action: saveSettingAction,
    success: (_data, input) => `Saved ${input.key}. The gateway uses it within a second.`,
  });
  const editing = Boolean(initial.id);
  const definition = definitionFor(raw, data.definitions);
  const values = withDefinition(raw, data.definitions);
  const orgs = writableOrgIds === null ? data.organizations : data.organizations.filter((o) => writableOrgIds.includes(o.id));
  const numeric = values.valueType === "int" || values.valueType === "float";

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
      title={title}
      description="Organization beats app beats global. Bounds apply to numbers and are enforced by the database too."
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Save setting"
      pendingLabel="Saving…"
    >
      <Field id="setting-key" label="Key" errors={err("key")}>
        <Input id="setting-key" value={values.key} onChange={(e) => set({ key: e.target.value })} disabled={editing} aria-invalid={Boolean(err("key"))} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="setting-scope" label="Scope" errors={err("scope")}>
          <Select value={values.scope} onValueChange={(v) => set({ scope: v as SettingScope })} disabled={editing}>
            <SelectTrigger id="setting-scope" className="w-full"><SelectValue /></SelectTrigger>
            <SelectContent>{scopes.map((s) => <SelectItem key={s} value={s}>{s}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
        <Field id="setting-type" label="Type" errors={err("valueType")}>
          <Select value={values.valueType} onValueChange={(v) => set({ valueType: v as SettingFormValues["valueType"], ...(v === "int" || v === "float" ? {} : { minValue: "", maxValue: "" }) })} disabled={editing || definition !== null}>
            <SelectTrigger id="setting-type" className="w-full"><SelectValue /></SelectTrigger>
            <SelectContent>{SETTING_VALUE_TYPES.map((t) => <SelectItem key={t} value={t}>{t}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
      </div>
      {values.scope === "app" && (
        <Field id="setting-app" label="App" errors={err("appId")}>
          <Select value={values.appId ?? ""} onValueChange={(v) => set({ appId: v })} disabled={editing}>
            <SelectTrigger id="setting-app" className="w-full"><SelectValue placeholder="Choose an app" /></SelectTrigger>
            <SelectContent>{data.apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
      )}
      {values.scope === "organization" && (
        <Field id="setting-org" label="Organization" errors={err("organizationId")}>
          <Select value={values.organizationId ?? ""} onValueChange={(v) => set({ organizationId: v })} disabled={editing}>
            <SelectTrigger id="setting-org" className="w-full"><SelectValue placeholder="Choose an organization" /></SelectTrigger>
            <SelectContent>{orgs.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
      )}
      <Field
        id="setting-value"
        label="Value"
        hint={numeric ? `Bounds: ${boundText(values.minValue, "−∞")} … ${boundText(values.maxValue, "+∞")}` : values.valueType === "json" ? "Any JSON value." : undefined}
        errors={err("value")}
      >
        {values.valueType === "bool" ? (
          <Select value={values.value} onValueChange={(v) => set({ value: v })}>
            <SelectTrigger id="setting-value" className="w-full" aria-invalid={Boolean(err("value"))}><SelectValue placeholder="Choose" /></SelectTrigger>
            <SelectContent><SelectItem value="true">true</SelectItem><SelectItem value="false">false</SelectItem></SelectContent>
          </Select>
        ) : values.valueType === "json" ? (
          <Textarea id="setting-value" rows={4} className="font-mono text-xs" value={values.value} onChange={(e) => set({ value: e.target.value })} aria-invalid={Boolean(err("value"))} />
        ) : (
          <Input
            id="setting-value"
            type={numeric ? "number" : "text"}
            step={values.valueType === "int" ? 1 : "any"}
            value={values.value}
            onChange={(e) => set({ value: e.target.value })}
            aria-invalid={Boolean(err("value"))}
          />
        )}
      </Field>
      {definition && (
        <p className="text-xs text-muted-foreground" data-testid="setting-definition">
          {values.key} is a {definition.valueType} setting
          {numeric ? ` between ${boundText(definition.minValue, "−∞")} and ${boundText(definition.maxValue, "+∞")}` : ""} for every scope: its type and
          bounds are set once, on the global setting, by a platform admin.
        </p>
      )}
      {numeric && !definition && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="setting-min" label="Minimum" errors={err("minValue")}>
            <Input id="setting-min" type="number" step="any" value={String(values.minValue ?? "")} onChange={(e) => set({ minValue: e.target.value })} />
          </Field>
          <Field id="setting-max" label="Maximum" errors={err("maxValue")}>
            <Input id="setting-max" type="number" step="any" value={String(values.maxValue ?? "")} onChange={(e) => set({ maxValue: e.target.value })} />
          </Field>
        </div>
      )}
      <Field id="setting-description" label="Description" errors={err("description")}>
        <Input id="setting-description" value={values.description ?? ""} onChange={(e) => set({ description: e.target.value })} />
      </Field>
    </FormDialog>
  );
}
