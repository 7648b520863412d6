/**
 * Per-statement timings for the dashboard bench, taken at the driver: node-postgres' Client.query
 * is wrapped, so the real lib/db functions run unchanged and each SQL statement they send is
 * timed. Statements queued on one connection (a Promise.all inside one transaction) are timed
 * from the moment the previous one on that connection finished, so queueing is not counted.
 */
import pg from "pg";

export interface Statement {
  sql: string;
  ms: number;
}

let sink: Statement[] | null = null;
let installed = false;

// Transaction control and withUser's set_config / set role: not dashboard queries.
const CONTROL = /^\s*(begin|commit|rollback|set local|select set_config)\b/i;

export function installTiming(): void {
  if (installed) return;
  installed = true;
  type Query = (...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function timedQuery(this: { __benchFree?: number }, ...args: unknown[]) {
    const result = original.apply(this, args);
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: string } | null)?.text;
    const target = sink;
    if (!target || !text || CONTROL.test(text) || !(result instanceof Promise)) return result;
    const called = performance.now();
    return result.then((value: unknown) => {
      const end = performance.now();
      const start = Math.max(called, this.__benchFree ?? 0);
      this.__benchFree = end;
      target.push({ sql: text, ms: end - start });
      return value;
    });
  };
}

/** Runs fn and returns its wall time and the statements it sent. */
export async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; statements: Statement[] }> {
  const statements: Statement[] = [];
  sink = statements;
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    sink = null;
  }
  return { ms: performance.now() - t0, statements };
}

/** A short name for a statement: its main table and grouping, e.g. "llm_call_daily by d.day". */
export function describe(sql: string): string {
  const flat = sql.replace(/\s+/g, " ");
  const from = /\bfrom "?([a-z_.]+)"?/i.exec(flat)?.[1] ?? "?";
  const group = /\bgroup by (.+?)(?: having| order by| limit|$)/i.exec(flat)?.[1];
  const where = group ? "" : /\bwhere (.+?)(?: order by| limit| group by|$)/i.exec(flat)?.[1];
  const tail = group ? ` by ${group.replace(/"/g, "")}` : where ? ` where ${where.replace(/"/g, "").slice(0, 60)}` : "";
  return `${from.replace(/^public\./, "")}${tail}`.slice(0, 90);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Stats {
  p50: number;
  p95: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), max: r(sorted.at(-1) ?? Number.NaN) };
}
