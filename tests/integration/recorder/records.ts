import type { CallRecord } from "@/lib/gateway/recorder/record";

/** Test records, free of vitest imports so the child-process script can use them too. */

const ORGS = ["0a000000-0000-4000-8000-00000000000a", "0a000000-0000-4000-8000-00000000000b", null];
const BASE = Date.now() - 3 * 3600 * 1000;

/** Attempt `n` of a run: distinct request ids per `run`, varied enough to spread over rollup keys. */
export function makeRecord(run: number, n: number, change: Partial<CallRecord> = {}): CallRecord {
  const priced = n % 4 !== 0;
  return {
    request_id: `00000000-${run.toString(16).padStart(4, "0")}-4000-a000-${n.toString(16).padStart(12, "0")}`,
    attempt: 1,
    created_at: new Date(BASE + n * 1000),
    organization_id: ORGS[n % 3]!,
    pipeline_stage: n % 5 === 0 ? null : "triage",
    request_type: "classify",
    provider_code: "mock",
    model_code: n % 2 ? "mock-large" : "mock-small",
    prompt_tokens: 100 + (n % 50),
    completion_tokens: 10,
    total_tokens: 110 + (n % 50),
    cost: priced ? "0.000123456789" : null,
    currency: priced ? "USD" : null,
    pricing_source: priced ? "database" : null,
    latency_ms: 20 + (n % 7),
    status: n % 9 === 0 ? "failed" : "ok",
    ...change,
  };
}

export const records = (run: number, count: number, from = 0) => Array.from({ length: count }, (_, i) => makeRecord(run, from + i));
