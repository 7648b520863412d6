import type { ColumnType, Generated } from "kysely";
import type { Numeric, NumericNullable, Timestamp, TimestampNullable } from "./schema-columns";

/**
 * Kysely types of the client-statement tables (migration 20261208030001): billing terms, the
 * client price list, the statement rollup and closed statements with their frozen lines.
 * lib/db/schema.ts's DB includes them. Money columns are numeric, read as exact strings.
 */

export interface BillingTermsTable {
  organization_id: string;
  billing_currency: string | null;
  markup_pct: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ClientPricesTable {
  id: Generated<string>;
  organization_id: string;
  model_id: string;
  input_per_mtok: Numeric;
  output_per_mtok: Numeric;
  cached_input_per_mtok: NumericNullable;
  cache_write_per_mtok: NumericNullable;
  cache_write_1h_per_mtok: NumericNullable;
  currency: string;
  effective_from: string;
  created_at: Generated<Date>;
}

export interface LlmCallStatementHourlyTable {
  hour: Timestamp;
  organization_id: string | null;
  app_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  action_type: string | null;
  currency: string | null;
  calls: number;
  calls_without_cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cost: Numeric;
}

export interface StatementsTable {
  id: Generated<string>;
  organization_id: string;
  month: string;
  status: "closed" | "reopened";
  time_zone: string;
  billing_currency: string;
  markup_pct: Numeric;
  fx_rates: ColumnType<Record<string, string>, string | undefined, string>;
  closed_at: Timestamp;
  closed_by: string | null;
  closed_by_email: string | null;
  reopened_at: TimestampNullable;
  reopened_by: string | null;
  reopen_reason: string | null;
  /** Closed month (YYYY-MM) → change-mark sum seen at close (20261208070001). */
  marks_seen: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

/** Per organization and UTC day, a version raised by every statement touching its calls (20261208070001). */
export interface LlmCallStatementMarksTable {
  organization_id: string;
  day: string;
  version: ColumnType<string, string | undefined, string>;
}

export interface StatementLinesTable {
  id: Generated<string>;
  statement_id: string;
  kind: "usage" | "adjustment";
  position: number;
  app_id: string | null;
  app_name: string | null;
  provider_code: string | null;
  model_code: string | null;
  action_type: string | null;
  currency: string | null;
  client_price_id: string | null;
  pricing: "markup" | "price_list";
  calls: number;
  calls_without_cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  provider_cost: Numeric;
  source_amount: NumericNullable;
  source_currency: string | null;
  rate: NumericNullable;
  amount: NumericNullable;
  corrects_month: string | null;
  corrects_statement_id: string | null;
}

export interface StatementTables {
  billing_terms: BillingTermsTable;
  client_prices: ClientPricesTable;
  llm_call_statement_hourly: LlmCallStatementHourlyTable;
  statements: StatementsTable;
  llm_call_statement_marks: LlmCallStatementMarksTable;
  statement_lines: StatementLinesTable;
}
