import { FX_RATES_KEY, REPORTING_CURRENCY_KEY, reportingCurrencyFrom, type ReportingCurrency } from "@/lib/engine/currency";
import type { UserTx } from "./rls";

/**
 * The reporting currency and its rates as the signed-in user's settings say, read under RLS
 * (the pure parsing and conversion live in lib/engine/currency.ts).
 */
export async function loadReportingCurrency(tx: UserTx): Promise<ReportingCurrency> {
  const rows = await tx
    .selectFrom("app_configuration")
    .select(["key", "value"])
    .where("scope", "=", "global")
    .where("key", "in", [REPORTING_CURRENCY_KEY, FX_RATES_KEY])
    .execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  return reportingCurrencyFrom(value(REPORTING_CURRENCY_KEY), value(FX_RATES_KEY));
}
