/** Figures for the Overview page. Money is a decimal string (Postgres `numeric`), never a float. */
export interface OverviewStats {
  /** When the figures were read (ISO 8601), so a client can say how fresh they are. */
  generatedAt: string;
  /** Currency of the `daily` cost trend: the one most calls are priced in. */
  currency: string;
  /** One row per organization and currency it was charged in this month. */
  monthToDate: {
    organizationId: string;
    organizationName: string;
    spend: string;
    /** Null when there is no budget or it is set in another currency than `currency`. */
    budget: string | null;
    currency: string;
  }[];
  callsToday: number;
  /** Failed share of today's calls, 0-1; null when there were no calls. */
  errorRateToday: number | null;
  /** Complete records as a percentage, 0-100; null when there were no calls. */
  completenessPct: number | null;
  /** Mean quality score, 1-5; null without feedback. */
  avgFeedbackScore: number | null;
  /** One point per day (YYYY-MM-DD) with calls, oldest first. */
  daily: { day: string; cost: string; calls: number; failed: number }[];
  /** Month-to-date savings against each app's baseline model, one row per app and currency. */
  savings: SavingsRow[];
  /** The most recent budget alerts (80 % / 100 % of a monthly budget), newest first. */
  budgetAlerts: BudgetAlertRow[];
}

export interface SavingsRow {
  appId: string;
  appName: string;
  /** Model code of the app's baseline model; null when the app has none configured. */
  baselineModel: string | null;
  currency: string;
  /** Calls with a known cost in this currency this month. */
  pricedCalls: number;
  /** Of those, the calls compared with the baseline (the baseline was priced in the same currency). */
  comparedCalls: number;
  /** Actual cost of the compared calls. */
  cost: string;
  /** What the compared calls would have cost on the baseline model. */
  baselineCost: string;
  /** baselineCost − cost: positive is money saved, negative is extra spend. */
  savings: string;
}

export interface BudgetAlertRow {
  id: string;
  organizationName: string;
  /** First day of the budget month, YYYY-MM-DD. */
  month: string;
  thresholdPct: number;
  spent: string;
  budget: string;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  createdAt: string;
}
