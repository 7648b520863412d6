import { errorMessage } from "@/lib/errors";
import { createHmac } from "node:crypto";
import type { Kysely } from "kysely";
import { claimDueAlerts, markAlertDelivered, markAlertFailed } from "@/lib/db/budget-webhooks";
import type { DB } from "@/lib/db/schema";
import { MAX_ATTEMPTS, backoffSeconds, payloadOf, webhookHost } from "@/lib/engine/budget-webhook";

/**
 * Delivers budget alerts (budget_alerts rows) to each organization's webhook: a signed JSON POST,
 * 5 s timeout, exponential backoff on failure, notified_at set on a 2xx answer.
 *
 * Never twice: a dispatcher first CLAIMS due rows (lib/db/budget-webhooks.ts: one UPDATE …
 * RETURNING, FOR UPDATE SKIP LOCKED, next_attempt_at pushed ahead as a lease). Another
 * dispatcher (another instance, the cron route) skips rows that are locked or leased, so each
 * alert is sent by one dispatcher at a time; once notified_at is set it is never picked again.
 * On PGlite there is one session anyway. A process that dies mid-delivery leaves the lease to
 * expire and the alert is retried (at-least-once only across a crash; receivers can dedupe on
 * the x-llmcp-delivery header, which is the alert id).
 *
 * Runs as the service role (budget_alerts is read-only for sessions, organization_webhooks is
 * platform admins only): called by the gateway right after it records an alert, and by the cron
 * route /api/cron/budget-alerts.
 * The webhook URL may carry a token in its path or query: logs and last_error show the host only.
 */

export const WEBHOOK_TIMEOUT_MS = 5_000;
export const SIGNATURE_HEADER = "x-llmcp-signature";
export const TIMESTAMP_HEADER = "x-llmcp-timestamp";
export const DELIVERY_HEADER = "x-llmcp-delivery";

/**
 * HMAC-SHA256 over `${timestamp}.${body}` (hex), sent as `sha256=<hex>` with the timestamp in
 * its own header, so a receiver can refuse replays of old deliveries.
 */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface DispatchOptions {
  /** Signing secret (BUDGET_WEBHOOK_SECRET); unsigned when absent. */
  secret?: string | null;
  now?: Date;
  timeoutMs?: number;
  /** Rows claimed per run. */
  limit?: number;
  log?: (line: string) => void;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  failed: number;
}

/** One POST. Resolves to null on 2xx, else a short reason that never contains the URL. */
async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "llm-control-plane-budget-webhooks/1", ...headers },
      body,
      // A redirect could send the payload (and the token in the URL) elsewhere: not followed.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") return `timeout after ${timeoutMs / 1000} s`;
    const code = (err as { cause?: { code?: unknown } })?.cause?.code;
    return `network error${typeof code === "string" ? ` (${code})` : ""}`;
  }
}

/** Claims due alerts and delivers them. Safe to run concurrently on several instances. */
export async function dispatchBudgetAlerts(db: Kysely<DB>, options: DispatchOptions = {}): Promise<DispatchResult> {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => console.warn(`[budget-webhooks] ${line}`));
  const rows = await claimDueAlerts(db, now, options.limit ?? 20);
  const result: DispatchResult = { claimed: rows.length, delivered: 0, failed: 0 };
  for (const row of rows) {
    const body = JSON.stringify(payloadOf(row));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { [DELIVERY_HEADER]: row.id, [TIMESTAMP_HEADER]: timestamp };
    if (options.secret) headers[SIGNATURE_HEADER] = signPayload(options.secret, timestamp, body);
    const host = webhookHost(row.url);
    const problem = await post(row.url, body, headers, timeoutMs);
    if (problem === null) {
      await markAlertDelivered(db, row.id);
      result.delivered++;
      continue;
    }
    const giveUp = row.attempts >= MAX_ATTEMPTS;
    const wait = backoffSeconds(row.attempts);
    await markAlertFailed(db, row.id, `${problem} from ${host}`.slice(0, 500), giveUp ? null : new Date(now.getTime() + wait * 1000));
    result.failed++;
    log(`alert ${row.id} (${row.slug}, ${row.threshold_pct} %) to ${host}: ${problem}; ${giveUp ? `giving up after ${row.attempts} attempts` : `retry in ${wait} s`}`);
  }
  return result;
}

let running: Promise<void> | null = null;
let again = false;

/**
 * Fire-and-forget dispatch for the gateway, right after it recorded an alert: off the response
 * path, one run at a time per process (a request during a run schedules one more run).
 */
export function kickBudgetWebhooks(getDb: () => Promise<Kysely<DB>>, secret: string | null | undefined): void {
  if (running) {
    again = true;
    return;
  }
  running = (async () => {
    do {
      again = false;
      try {
        await dispatchBudgetAlerts(await getDb(), { secret });
      } catch (err) {
        console.warn(`[budget-webhooks] dispatch failed, the cron route will retry: ${errorMessage(err)}`);
      }
    } while (again);
  })().finally(() => {
    running = null;
  });
}

/** Resolves once the in-process dispatch (if any) has finished; for tests and shutdown. */
export async function budgetWebhooksIdle(): Promise<void> {
  while (running) await running;
}
