"use client";

import { Pencil, Plus } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { saveAppAction } from "@/lib/actions/organizations/save-app";
import type { AppRow, ModelOption } from "@/lib/db/organizations";
import { appFormSchema, type AppFormValues } from "@/lib/schemas/organization";

const NONE = "__none";

function ModelSelect({ id, value, models, onChange, invalid }: { id: string; value: unknown; models: ModelOption[]; onChange: (v: string) => void; invalid: boolean }) {
  return (
    <Select value={typeof value === "string" && value ? value : NONE} onValueChange={(v) => onChange(v === NONE ? "" : v)}>
      <SelectTrigger id={id} className="w-full" aria-invalid={invalid}><SelectValue /></SelectTrigger>
      <SelectContent>
        <SelectItem value={NONE}>None</SelectItem>
        {/* Marked like the routing pickers: "(no key)", "(provider disabled)", "(disabled)". */}
        {models.map((m) => <SelectItem key={m.id} value={m.id}>{m.mark ? `${m.label} (${m.mark})` : m.label}</SelectItem>)}
      </SelectContent>
    </Select>
  );
}

/** Adds an app (no `app`) or edits it: name, description, baseline and legacy model, explicit models. */
export function AppFormDialog({ app, models }: { app?: AppRow; models: ModelOption[] }) {
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: appFormSchema,
    initial: (): AppFormValues =>
      app
        ? {
            id: app.id, code: app.code, name: app.name, description: app.description ?? "", baselineModelId: app.baselineModelId ?? "",
            legacyModelId: app.legacyModelId ?? "", allowExplicitModels: app.allowExplicitModels,
            declaredActions: app.declaredActions.join("\n"),
          }
        : { code: "", name: "", description: "", baselineModelId: "", legacyModelId: "", allowExplicitModels: false, declaredActions: "" },
    action: saveAppAction,
    success: (data, input) => (data.created ? `App ${input.name} added.` : `App ${input.name} saved.`),
  });
  const idp = `app-${app?.code ?? "new"}`;
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        app ? (
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Edit app ${app.name}`}><Pencil /></Button>
        ) : (
          <Button size="sm" variant="outline"><Plus /> Add app</Button>
        )
      }
      title={app ? `Edit ${app.name}` : "Add app"}
      description="An application that calls the gateway with its own keys. Give it routing rules on the Routing page and keys on the API keys page."
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel={app ? "Save" : "Add app"}
      pendingLabel="Saving…"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${idp}-name`} label="Name" errors={err("name")}>
          <Input id={`${idp}-name`} value={String(values.name ?? "")} onChange={(e) => set({ name: e.target.value })} aria-invalid={Boolean(err("name"))} />
        </Field>
        <Field id={`${idp}-code`} label="Code" hint={app ? "Fixed once created" : "e.g. invoice-reader"} errors={err("code")}>
          <Input id={`${idp}-code`} className="font-mono" value={String(values.code ?? "")} disabled={Boolean(app)} onChange={(e) => set({ code: e.target.value.toLowerCase() })} aria-invalid={Boolean(err("code"))} />
        </Field>
      </div>
      <Field id={`${idp}-description`} label="Description" errors={err("description")}>
        <Textarea id={`${idp}-description`} rows={2} value={String(values.description ?? "")} onChange={(e) => set({ description: e.target.value })} aria-invalid={Boolean(err("description"))} />
      </Field>
      <Field id={`${idp}-baseline`} label="Baseline model" hint="Savings are measured against what this model would have cost" errors={err("baselineModelId")}>
        <ModelSelect id={`${idp}-baseline`} value={values.baselineModelId} models={models} onChange={(v) => set({ baselineModelId: v })} invalid={Boolean(err("baselineModelId"))} />
      </Field>
      <Field id={`${idp}-legacy`} label="Legacy model" hint="Used for every call while the app's routing.enabled setting is off (the kill switch)" errors={err("legacyModelId")}>
        <ModelSelect id={`${idp}-legacy`} value={values.legacyModelId} models={models} onChange={(v) => set({ legacyModelId: v })} invalid={Boolean(err("legacyModelId"))} />
      </Field>
      <Field
        id={`${idp}-actions`}
        label="Declared actions"
        hint="One per line, e.g. werkbon_classification. Routing rules offer these and the actions seen in the app's calls, and warn about any other."
        errors={err("declaredActions")}
      >
        <Textarea
          id={`${idp}-actions`}
          rows={3}
          className="font-mono text-xs"
          value={Array.isArray(values.declaredActions) ? values.declaredActions.join("\n") : String(values.declaredActions ?? "")}
          onChange={(e) => set({ declaredActions: e.target.value })}
          aria-invalid={Boolean(err("declaredActions"))}
        />
      </Field>
      <label className="flex items-center justify-between gap-4 text-sm">
        <span>
          <span className="font-medium">Allow explicit models</span>
          <span className="block text-xs text-muted-foreground">Callers may name a model instead of an action or “auto”.</span>
        </span>
        <Switch checked={Boolean(values.allowExplicitModels)} onCheckedChange={(v) => set({ allowExplicitModels: v })} aria-label="Allow explicit models" />
      </label>
    </FormDialog>
  );
}
