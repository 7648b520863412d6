import { z } from "zod";

/**
 * Typed settings (app_configuration) for the editor and its server actions. The value arrives as
 * text from the form and is parsed by its type here; the bounds are checked here for the form and
 * again by the table's check constraints for everyone else.
 */

export const SETTING_SCOPES = ["global", "app", "organization"] as const;
export const SETTING_VALUE_TYPES = ["float", "int", "bool", "string", "json"] as const;
export type SettingScope = (typeof SETTING_SCOPES)[number];
export type SettingValueTypeName = (typeof SETTING_VALUE_TYPES)[number];

const uuid = z.uuid({ message: "Choose a value from the list." });
const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);
const bound = z.preprocess(blankToNull, z.coerce.number({ message: "Enter a number." }).finite().nullable());

/** Parses a form value by type; returns an error message instead of throwing. */
export function parseSettingValue(type: SettingValueTypeName, raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = raw.trim();
  switch (type) {
    case "bool":
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      return { ok: false, message: "Choose true or false." };
    case "int":
    case "float": {
      const n = text === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(n)) return { ok: false, message: "Enter a number." };
      if (type === "int" && !Number.isInteger(n)) return { ok: false, message: "Enter a whole number." };
      return { ok: true, value: n };
    }
    case "string":
      return { ok: true, value: raw };
    case "json":
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: "Enter valid JSON." };
      }
  }
}

export const settingInputSchema = z
  .object({
    id: uuid.optional(),
    key: z.string().trim().regex(/^[a-z][a-z0-9_.]{0,99}$/, "Use lowercase letters, digits, _ and . (starting with a letter)."),
    scope: z.enum(SETTING_SCOPES, { message: "Choose a scope." }),
    appId: uuid.nullable(),
    organizationId: uuid.nullable(),
    valueType: z.enum(SETTING_VALUE_TYPES, { message: "Choose a type." }),
    value: z.string().max(10_000, "At most 10,000 characters."),
    minValue: bound,
    maxValue: bound,
    description: z.string().trim().max(500, "At most 500 characters.").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "global" && (v.appId || v.organizationId)) ctx.addIssue({ code: "custom", path: ["scope"], message: "A global setting has no app or organization." });
    if (v.scope === "app" && !v.appId) ctx.addIssue({ code: "custom", path: ["appId"], message: "Choose the app." });
    if (v.scope === "app" && v.organizationId) ctx.addIssue({ code: "custom", path: ["organizationId"], message: "An app setting has no organization." });
    if (v.scope === "organization" && !v.organizationId) ctx.addIssue({ code: "custom", path: ["organizationId"], message: "Choose the organization." });
    const numeric = v.valueType === "int" || v.valueType === "float";
    if (!numeric && (v.minValue !== null || v.maxValue !== null)) {
      ctx.addIssue({ code: "custom", path: ["minValue"], message: "Bounds apply to int and float settings only." });
    }
    if (v.minValue !== null && v.maxValue !== null && v.minValue > v.maxValue) {
      ctx.addIssue({ code: "custom", path: ["maxValue"], message: "The maximum must be at least the minimum." });
    }
    const parsed = parseSettingValue(v.valueType, v.value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: ["value"], message: parsed.message });
      return;
    }
    if (numeric && typeof parsed.value === "number") {
      if (v.minValue !== null && parsed.value < v.minValue) ctx.addIssue({ code: "custom", path: ["value"], message: `At least ${v.minValue}.` });
      if (v.maxValue !== null && parsed.value > v.maxValue) ctx.addIssue({ code: "custom", path: ["value"], message: `At most ${v.maxValue}.` });
    }
  });

export type SettingInput = z.infer<typeof settingInputSchema>;
export type SettingFormValues = z.input<typeof settingInputSchema>;

export const settingIdSchema = z.object({ id: uuid });
