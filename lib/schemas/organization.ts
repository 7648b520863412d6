import { z } from "zod";

/**
 * Client organizations and apps as platform admins create and edit them. A slug or code is the
 * name callers use (`organization` in /generate, metrics labels, traces), so it is set once.
 * Bounds repeat the tables' checks; budgets are edited on the Budgets page.
 */

export const ORGANIZATION_TIERS = ["standard", "premium", "internal"] as const;

const identifier = (example: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, `2-63 lower-case letters, digits or -, e.g. ${example}.`);

export const organizationFormSchema = z.object({
  id: z.uuid({ message: "Unknown organization." }).optional(),
  slug: identifier("acme"),
  name: z.string().trim().min(1, "Give the organization a name.").max(200, "At most 200 characters."),
  tier: z.enum(ORGANIZATION_TIERS, { message: "Choose a tier." }),
});
export type OrganizationFormInput = z.infer<typeof organizationFormSchema>;
export type OrganizationFormValues = z.input<typeof organizationFormSchema>;

/** An action type as routing rules name it (lib/schemas/llm-configuration.ts, apps_declared_actions_format). */
const ACTION_TYPE = /^[a-z][a-z0-9_.-]{0,99}$/;

const optionalModel = z.preprocess((v) => (v === "" ? null : v), z.uuid({ message: "Choose a model." }).nullable());

export const appFormSchema = z.object({
  id: z.uuid({ message: "Unknown app." }).optional(),
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, "2-63 lower-case letters, digits, - or _, e.g. werkbon-checker."),
  name: z.string().trim().min(1, "Give the app a name.").max(200, "At most 200 characters."),
  description: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), z.string().trim().max(1000, "At most 1,000 characters.").nullable()),
  /** The model savings are measured against (shadow cost of every call). */
  baselineModelId: optionalModel,
  /** The model used while the app's routing.enabled setting is false (the kill switch). */
  legacyModelId: optionalModel,
  /** Whether callers may name a model instead of an action. */
  allowExplicitModels: z.boolean(),
  /**
   * Actions the app's code sends (besides those seen in its calls): the routing rule form offers
   * them and warns about any other. Typed as text, one per line or separated by commas;
   * absent = unchanged.
   */
  declaredActions: z.preprocess(
    (v) => (typeof v === "string" ? [...new Set(v.split(/[\s,]+/).filter(Boolean))] : v),
    z
      .array(z.string())
      .max(200, "At most 200 actions.")
      .superRefine((actions, ctx) => {
        const bad = actions.find((a) => !ACTION_TYPE.test(a));
        if (bad !== undefined) ctx.addIssue({ code: "custom", message: `“${bad}”: actions use lowercase letters, digits, _ . - and start with a letter.` });
      })
      .optional(),
  ),
});
export type AppFormInput = z.infer<typeof appFormSchema>;
export type AppFormValues = z.input<typeof appFormSchema>;
