"use client";

import { formatCount } from "@/components/format";
import { Field } from "@/components/routing/field";
import { Input } from "@/components/ui/input";
import type { KeyLimitDefaults } from "@/lib/db/api-keys";
import type { ApiKeyScope } from "@/lib/schemas/api-key";

/** The fields a key has both when it is created and when it is edited: name, scopes, limits. */

const SCOPE_HINTS: Record<ApiKeyScope, string> = {
  llm: "call the gateway (/api/llm/*)",
  feedback: "send quality feedback",
  admin: "admin routes: retrain, summaries (platform admins only)",
};

export interface KeyFieldValues {
  name?: string;
  scopes?: ApiKeyScope[];
  rateLimitPerMinute?: unknown;
  maxConcurrent?: unknown;
}

interface KeyFieldsProps {
  idPrefix: string;
  values: KeyFieldValues;
  errors: Record<string, string[]>;
  onChange: (patch: KeyFieldValues) => void;
  /** Org admins may not grant "admin"; the database refuses it too. */
  isPlatformAdmin: boolean;
  /** What an empty limit means for this key: the typed settings in force. */
  defaults: KeyLimitDefaults;
  /** Rendered between the name and the scopes (the create form's app and organization). */
  children?: React.ReactNode;
}

export function KeyFields({ idPrefix, values, errors, onChange, isPlatformAdmin, defaults, children }: KeyFieldsProps) {
  const scopes: ApiKeyScope[] = isPlatformAdmin ? ["llm", "feedback", "admin"] : ["llm", "feedback"];
  const current = values.scopes ?? [];
  const toggle = (scope: ApiKeyScope, on: boolean) => onChange({ scopes: on ? [...current, scope] : current.filter((s) => s !== scope) });
  const err = (k: string) => errors[k];
  return (
    <>
      <Field id={`${idPrefix}-name`} label="Name" hint="Where it is used, e.g. “werkbon-checker production”" errors={err("name")}>
        <Input id={`${idPrefix}-name`} value={String(values.name ?? "")} onChange={(e) => onChange({ name: e.target.value })} aria-invalid={Boolean(err("name"))} />
      </Field>
      {children}
      <fieldset className="grid gap-2" aria-describedby={err("scopes") ? `${idPrefix}-scopes-error` : undefined}>
        <legend className="mb-1 text-sm font-medium">Scopes</legend>
        {scopes.map((scope) => (
          <label key={scope} className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={current.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            <span className="font-mono">{scope}</span>
            <span className="text-muted-foreground">— {SCOPE_HINTS[scope]}</span>
          </label>
        ))}
        {err("scopes")?.map((e) => <p key={e} id={`${idPrefix}-scopes-error`} role="alert" className="text-xs text-destructive">{e}</p>)}
      </fieldset>
      <Field
        id={`${idPrefix}-rate`}
        label="Rate limit (requests per minute)"
        hint={`Empty = default (${formatCount(defaults.ratePerMinute)}/min)${isPlatformAdmin ? "" : "; a platform admin can raise it above that"}`}
        errors={err("rateLimitPerMinute")}
      >
        <Input
          id={`${idPrefix}-rate`}
          type="number"
          min={1}
          placeholder={`default (${formatCount(defaults.ratePerMinute)}/min)`}
          value={String(values.rateLimitPerMinute ?? "")}
          onChange={(e) => onChange({ rateLimitPerMinute: e.target.value })}
          aria-invalid={Boolean(err("rateLimitPerMinute"))}
        />
      </Field>
      <Field
        id={`${idPrefix}-concurrent`}
        label="Concurrent calls at most"
        hint={`Calls in flight at once; more get 429. Empty = default (${formatCount(defaults.maxConcurrent)})`}
        errors={err("maxConcurrent")}
      >
        <Input
          id={`${idPrefix}-concurrent`}
          type="number"
          min={1}
          placeholder={`default (${formatCount(defaults.maxConcurrent)})`}
          value={String(values.maxConcurrent ?? "")}
          onChange={(e) => onChange({ maxConcurrent: e.target.value })}
          aria-invalid={Boolean(err("maxConcurrent"))}
        />
      </Field>
    </>
  );
}
