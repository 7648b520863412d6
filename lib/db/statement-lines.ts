import type { StatementLine } from "@/lib/engine/statement";
import type { UserTx } from "./rls";

/**
 * Frozen statement lines: read back as engine lines, and written once, by the transaction that
 * closes a statement (a trigger refuses any other insert, every update, and deletes while closed).
 */

export interface FrozenLine extends StatementLine {
  statementId: string;
}

function trim(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

export async function readFrozenLines(tx: UserTx, statementIds: readonly string[]): Promise<FrozenLine[]> {
  if (statementIds.length === 0) return [];
  const rows = await tx.selectFrom("statement_lines").selectAll().where("statement_id", "in", statementIds).orderBy("statement_id").orderBy("position").execute();
  return rows.map((r) => ({
    statementId: r.statement_id,
    kind: r.kind,
    appId: r.app_id,
    appName: r.app_name,
    providerCode: r.provider_code,
    modelCode: r.model_code,
    actionType: r.action_type,
    currency: r.currency,
    clientPriceId: r.client_price_id,
    pricing: r.pricing,
    calls: r.calls,
    callsWithoutCost: r.calls_without_cost,
    tokens: {
      prompt: r.prompt_tokens,
      completion: r.completion_tokens,
      cached: r.cached_tokens,
      reasoning: r.reasoning_tokens,
      cacheWrite5m: r.cache_write_5m_tokens,
      cacheWrite1h: r.cache_write_1h_tokens,
    },
    providerCost: trim(r.provider_cost),
    sourceAmount: r.source_amount === null ? null : trim(r.source_amount),
    sourceCurrency: r.source_currency,
    rate: r.rate === null ? null : trim(r.rate),
    amount: r.amount === null ? null : trim(r.amount),
    correctsMonth: r.corrects_month,
    correctsStatementId: r.corrects_statement_id,
  }));
}

const BATCH = 500;

export async function insertFrozenLines(tx: UserTx, statementId: string, lines: readonly StatementLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += BATCH) {
    await tx
      .insertInto("statement_lines")
      .values(
        lines.slice(i, i + BATCH).map((l, j) => ({
          statement_id: statementId,
          kind: l.kind,
          position: i + j,
          app_id: l.appId,
          app_name: l.appName,
          provider_code: l.providerCode,
          model_code: l.modelCode,
          action_type: l.actionType,
          currency: l.currency,
          client_price_id: l.clientPriceId,
          pricing: l.pricing,
          calls: l.calls,
          calls_without_cost: l.callsWithoutCost,
          prompt_tokens: l.tokens.prompt,
          completion_tokens: l.tokens.completion,
          cached_tokens: l.tokens.cached,
          reasoning_tokens: l.tokens.reasoning,
          cache_write_5m_tokens: l.tokens.cacheWrite5m,
          cache_write_1h_tokens: l.tokens.cacheWrite1h,
          provider_cost: l.providerCost,
          source_amount: l.sourceAmount,
          source_currency: l.sourceCurrency,
          rate: l.rate,
          amount: l.amount,
          corrects_month: l.correctsMonth,
          corrects_statement_id: l.correctsStatementId,
        })),
      )
      .execute();
  }
}
