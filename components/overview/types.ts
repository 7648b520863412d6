/** Figures for the Overview page. Money is a decimal string (Postgres `numeric`), never a float. */
export interface OverviewStats {
  /** Currency of the `daily` trend: the one most calls are priced in. */
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
  daily: { day: string; cost: string; calls: number }[];
}
