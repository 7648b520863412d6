import { z } from "zod";
import { BUDGET_POLICIES } from "./budget";

/**
 * A budget of any scope (table budgets): the organization, one of its apps, or one API key;
 * monthly or daily; shared by the Budgets page's form, its server actions and the tests. The
 * database's CHECKs, foreign keys and key trigger have the last word.
 */

export const BUDGET_SCOPES = ["organization", "app", "key"] as const;
export const BUDGET_WINDOWS = ["month", "day"] as const;
export type BudgetScopeInput = (typeof BUDGET_SCOPES)[number];

export const SCOPE_NAMES: Record<BudgetScopeInput, string> = { organization: "Whole organization", app: "One app", key: "One API key" };
export const WINDOW_NAMES: Record<(typeof BUDGET_WINDOWS)[number], string> = { month: "Monthly", day: "Daily" };

/** numeric(20, 6), above 0. */
const AMOUNT = /^\d{1,14}(\.\d{1,6})?$/;
const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.uuid().nullable());

export const scopedBudgetSchema = z
  .object({
    /** Absent: a new budget. */
    id: optionalId.optional(),
    organizationId: z.uuid({ message: "Choose an organization." }),
    scope: z.enum(BUDGET_SCOPES),
    appId: optionalId,
    apiKeyId: optionalId,
    window: z.enum(BUDGET_WINDOWS),
    amount: z
      .string()
      .trim()
      .regex(AMOUNT, "Enter an amount like 1500 or 1500.50 (at most 6 decimals).")
      .refine((v) => Number(v) > 0, "The amount must be more than 0."),
    currency: z.string().trim().regex(/^[A-Z]{3}$/, "Use a 3-letter currency code, like EUR."),
    policy: z.enum(BUDGET_POLICIES),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "app" && !v.appId) ctx.addIssue({ code: "custom", path: ["appId"], message: "Choose the app." });
    if (v.scope === "key" && !v.apiKeyId) ctx.addIssue({ code: "custom", path: ["apiKeyId"], message: "Choose the API key." });
  })
  .transform((v) => ({ ...v, appId: v.scope === "app" ? v.appId : null, apiKeyId: v.scope === "key" ? v.apiKeyId : null }));

export type ScopedBudgetInput = z.infer<typeof scopedBudgetSchema>;

export const deleteBudgetSchema = z.object({ id: z.uuid() });
