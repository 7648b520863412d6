"use client";

import { AlertTriangle } from "lucide-react";
import { Input } from "@/components/ui/input";
import type { RoutingApp } from "@/lib/db/routing";
import { isKnownAction, knownActionList, unknownActionMessage } from "@/lib/engine/known-actions";
import { Field } from "./field";

/**
 * The rule form's action: a combobox (text with the app's known actions as suggestions: declared
 * on the app or seen in its calls). An action in neither list gets a warning, since a rule for it
 * never matches until a call sends it, and saving needs an explicit confirmation, which the
 * server asks for too (lib/db/routing-writes.ts).
 */
export function ActionField({ app, value, onChange, confirmed, onConfirm, errors, disabled }: {
  app: RoutingApp | undefined;
  value: string;
  onChange: (action: string) => void;
  confirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
  errors?: string[];
  disabled: boolean;
}) {
  const known = app ? knownActionList(app.actions) : [];
  const action = value.trim();
  const unknown = Boolean(app) && !disabled && action !== "" && !isKnownAction(action, app!.actions);
  // The server's refusal repeats the warning; show it once, in the warning box.
  const fieldErrors = unknown ? errors?.filter((e) => !e.startsWith("No call of")) : errors;
  const listId = "rule-action-known";
  return (
    <Field
      id="rule-action"
      label="Action type"
      hint={known.length ? `${known.length} known for this app (declared or seen in its calls), or * for any action` : "No action known for this app yet: declare them on the app, or use * for any action"}
      errors={fieldErrors?.length ? fieldErrors : undefined}
    >
      <Input
        id="rule-action"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={false}
        list={listId}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={unknown || Boolean(fieldErrors?.length)}
        aria-describedby={unknown ? "rule-action-warning" : undefined}
        disabled={disabled}
      />
      <datalist id={listId}>
        {known.map((a) => <option key={a} value={a} />)}
      </datalist>
      {unknown && app && (
        <div id="rule-action-warning" role="alert" data-testid="rule-action-warning" className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm">
          <p className="flex gap-2">
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>{unknownActionMessage(action, app.name)}</span>
          </p>
          <label className="flex items-center gap-2">
            <input type="checkbox" className="size-4" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} />
            <span>Save it anyway: the app will send this action later</span>
          </label>
        </div>
      )}
    </Field>
  );
}
