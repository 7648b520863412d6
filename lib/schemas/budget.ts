import { z } from "zod";

/**
 * An organization's budget (organizations.monthly_budget / budget_currency / budget_policy, and
 * organization_webhooks.url), shared by the Budgets form, its server action and the tests. The same
 * limits are CHECK constraints in the database, which has the last word.
 */

export const BUDGET_POLICIES = ["alert", "block", "downgrade"] as const;
export type BudgetPolicy = (typeof BUDGET_POLICIES)[number];

export const POLICY_LABELS: Record<BudgetPolicy, string> = {
  alert: "Alert only",
  block: "Block calls (429)",
  downgrade: "Downgrade to the cheapest model",
};

/** numeric(20, 6): at most 14 digits before the point and 6 after. */
const BUDGET_PATTERN = /^\d{1,14}(\.\d{1,6})?$/;

/**
 * https, or http on a loopback host (tests, local development); no user:password@ part. Mirrors
 * organization_webhooks_url_check.
 */
export function webhookUrlProblem(value: string): string | null {
  if (value.length > 2000) return "Use at most 2000 characters.";
  if (/\s/.test(value)) return "A URL cannot contain spaces.";
  if (!URL.canParse(value)) return "Enter a full URL, like https://hooks.example.com/budget.";
  // The scheme is checked on the text as typed (lower case), exactly like the database's CHECK.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? "";
  if (authority.includes("@")) return "Put credentials in the path or query, not before the host.";
  if (value.startsWith("https://") && authority !== "") return null;
  if (/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?([/?#]|$)/.test(value)) return null;
  return "Use an https:// URL (plain http only for localhost, 127.0.0.1 or [::1]).";
}

export const webhookUrlSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const budgetSchema = z.object({
  organizationId: z.uuid({ message: "Unknown organization." }),
  /** Exact decimal string; empty = no budget. */
  monthlyBudget: z.preprocess(
    emptyToNull,
    z
      .string()
      .trim()
      .regex(BUDGET_PATTERN, "Enter an amount of 0 or more, like 1500 or 1500.50 (at most 6 decimals).")
      .nullable(),
  ),
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, "Use a three-letter currency code, like EUR.")),
  policy: z.enum(BUDGET_POLICIES, { message: "Choose alert, block or downgrade." }),
  webhookUrl: z.preprocess(emptyToNull, webhookUrlSchema.nullable()),
});
export type BudgetInput = z.infer<typeof budgetSchema>;
