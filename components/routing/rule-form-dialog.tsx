"use client";

import { useState, type ReactNode } from "react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { saveRuleAction } from "@/lib/actions/routing/save-rule";
import type { RoutingPageData, RoutingRule } from "@/lib/db/routing";
import {
  defaultRulePriority, PRIORITY_MAX, PRIORITY_MIN, ruleInputSchema, type RuleFormValues,
} from "@/lib/schemas/llm-configuration";
import { ActionField } from "./action-field";
import { FallbackPicker } from "./fallback-picker";
import { Field } from "./field";
import { modelLabel } from "./model-label";

const DEFAULT = "__default";

interface RuleFormDialogProps {
  data: Pick<RoutingPageData, "apps" | "organizations" | "models" | "rules">;
  /** Organizations the user may write overrides for; null = any (platform admin, also defaults). */
  writableOrgIds: string[] | null;
  rule?: RoutingRule;
  trigger: ReactNode;
}

/** A new rule's priority: above the defaults of the same app and action when it is an override. */
function suggestedPriority(data: RuleFormDialogProps["data"], appId: string, organizationId: string | null, actionType: string): string {
  const defaults = data.rules.filter((r) => r.organizationId === null && r.appId === appId && r.actionType === actionType.trim()).map((r) => r.priority);
  return String(defaultRulePriority(organizationId, defaults));
}

function initialValues(rule: RoutingRule | undefined, data: RuleFormDialogProps["data"], writableOrgIds: string[] | null): RuleFormValues {
  const appId = rule?.appId ?? data.apps[0]?.id ?? "";
  const organizationId = rule ? rule.organizationId : writableOrgIds === null ? null : (writableOrgIds[0] ?? null);
  return {
    id: rule?.id,
    appId,
    organizationId,
    actionType: rule?.actionType ?? "",
    modelId: rule?.modelId ?? "",
    fallbackModelIds: rule?.fallbackModelIds ?? [],
    priority: rule ? String(rule.priority) : suggestedPriority(data, appId, organizationId, ""),
    enabled: rule?.enabled ?? true,
    description: rule?.description ?? "",
    temperature: rule?.temperature === null || rule?.temperature === undefined ? "" : String(rule.temperature),
    maxTokens: rule?.maxTokens === null || rule?.maxTokens === undefined ? "" : String(rule.maxTokens),
  };
}

export function RuleFormDialog({ data, writableOrgIds, rule, trigger }: RuleFormDialogProps) {
  // The same schema the action uses: obvious mistakes are shown without a round trip.
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: ruleInputSchema,
    initial: () => initialValues(rule, data, writableOrgIds),
    action: saveRuleAction,
    success: () => (rule ? "Rule saved. The gateway uses it within a second." : "Rule created. The gateway uses it within a second."),
  });
  const orgs = writableOrgIds === null ? data.organizations : data.organizations.filter((o) => writableOrgIds.includes(o.id));
  const models = data.models.filter((m) => m.enabled || m.id === values.modelId);
  // Until the admin types a priority, a new rule's follows its slot: 100 for a default, above the
  // defaults it overrides for an organization's rule.
  const [priorityTouched, setPriorityTouched] = useState(false);
  const place = (patch: Partial<RuleFormValues>) => {
    const next = { appId: values.appId, organizationId: values.organizationId, actionType: values.actionType, ...patch };
    set(rule || priorityTouched ? patch : { ...patch, priority: suggestedPriority(data, next.appId, next.organizationId, next.actionType) });
  };
  const app = data.apps.find((a) => a.id === values.appId);

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
      title={rule ? "Edit routing rule" : "New routing rule"}
      description={<>Highest priority wins; an organization&apos;s rule beats the default on a tie.</>}
      className="max-h-[90vh] overflow-y-auto sm:max-w-xl"
      onSubmit={submit}
      pending={pending}
      submitLabel="Save rule"
      pendingLabel="Saving…"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="rule-app" label="App" errors={err("appId")}>
          <Select value={values.appId} onValueChange={(v) => place({ appId: v, confirmUnknownAction: false })} disabled={Boolean(rule)}>
            <SelectTrigger id="rule-app" className="w-full"><SelectValue placeholder="Choose an app" /></SelectTrigger>
            <SelectContent>{data.apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
        <Field id="rule-org" label="Organization" errors={err("organizationId")}>
          <Select value={values.organizationId ?? DEFAULT} onValueChange={(v) => place({ organizationId: v === DEFAULT ? null : v })} disabled={Boolean(rule)}>
            <SelectTrigger id="rule-org" className="w-full"><SelectValue /></SelectTrigger>
            <SelectContent>
              {(writableOrgIds === null || rule?.organizationId === null) && <SelectItem value={DEFAULT}>Default (every organization)</SelectItem>}
              {orgs.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
            </SelectContent>
          </Select>
        </Field>
        <Field id="rule-priority" label="Priority" hint={`${PRIORITY_MIN}–${PRIORITY_MAX}; defaults 100, client overrides 200 (above the defaults they override)`} errors={err("priority")}>
          <Input
            id="rule-priority"
            type="number"
            inputMode="numeric"
            min={PRIORITY_MIN}
            max={PRIORITY_MAX}
            value={String(values.priority ?? "")}
            onChange={(e) => { setPriorityTouched(true); set({ priority: e.target.value }); }}
            aria-invalid={Boolean(err("priority"))}
          />
        </Field>
      </div>
      <ActionField
        app={app}
        value={values.actionType}
        onChange={(actionType) => place({ actionType, confirmUnknownAction: false })}
        confirmed={Boolean(values.confirmUnknownAction)}
        onConfirm={(confirmUnknownAction) => set({ confirmUnknownAction })}
        errors={err("actionType")}
        disabled={Boolean(rule)}
      />
      <Field id="rule-model" label="Model" errors={err("modelId")}>
        <Select value={values.modelId} onValueChange={(v) => set({ modelId: v })}>
          <SelectTrigger id="rule-model" className="w-full" aria-invalid={Boolean(err("modelId"))}><SelectValue placeholder="Choose a model" /></SelectTrigger>
          <SelectContent>
            {models.map((m) => <SelectItem key={m.id} value={m.id}>{modelLabel(m)}</SelectItem>)}
          </SelectContent>
        </Select>
      </Field>
      <Field id="rule-fallbacks" label="Fallback models (in order)" errors={err("fallbackModelIds")}>
        <FallbackPicker id="rule-fallbacks" models={data.models} value={values.fallbackModelIds} exclude={values.modelId} onChange={(ids) => set({ fallbackModelIds: ids })} invalid={Boolean(err("fallbackModelIds"))} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="rule-temperature" label="Temperature" hint="0–2, empty = provider default" errors={err("temperature")}>
          <Input id="rule-temperature" type="number" step="0.1" min={0} max={2} value={String(values.temperature ?? "")} onChange={(e) => set({ temperature: e.target.value })} aria-invalid={Boolean(err("temperature"))} />
        </Field>
        <Field id="rule-max-tokens" label="Max tokens" hint="Empty = provider default" errors={err("maxTokens")}>
          <Input id="rule-max-tokens" type="number" min={1} value={String(values.maxTokens ?? "")} onChange={(e) => set({ maxTokens: e.target.value })} aria-invalid={Boolean(err("maxTokens"))} />
        </Field>
      </div>
      <Field id="rule-description" label="Description" errors={err("description")}>
        <Input id="rule-description" value={values.description ?? ""} onChange={(e) => set({ description: e.target.value })} />
      </Field>
      <div className="flex items-center gap-2">
        <Switch id="rule-enabled" checked={values.enabled} onCheckedChange={(v) => set({ enabled: v })} />
        <label htmlFor="rule-enabled" className="text-sm">Enabled</label>
      </div>
    </FormDialog>
  );
}
