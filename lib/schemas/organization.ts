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
});
export type AppFormInput = z.infer<typeof appFormSchema>;
export type AppFormValues = z.input<typeof appFormSchema>;
