import { sql, type Kysely } from "kysely";
import { MAX_ATTEMPTS, type AlertRow } from "@/lib/engine/budget-webhook";
import type { DB } from "./schema";

/**
 * The queries of budget alert delivery (lib/finance/budget-webhooks.ts sends): claim due alerts
 * with a lease, then record each outcome. Service role: budget_alerts is read-only for sessions
 * and organization_webhooks is platform admins only.
 *
 * Never twice: the claim is ONE UPDATE … RETURNING whose row selection is FOR UPDATE SKIP
 * LOCKED, pushing next_attempt_at into the future as a lease; another dispatcher skips rows that
 * are locked or leased, and once notified_at is set a row is never picked again.
 */

/** How long a claimed row is reserved for the dispatcher that claimed it. */
const LEASE_SECONDS = 60;
/** Older alerts are not delivered any more (a webhook set today should not get last month's news). */
const MAX_AGE_DAYS = 7;

export interface ClaimedAlert extends AlertRow {
  url: string;
  attempts: number;
}

export async function claimDueAlerts(db: Kysely<DB>, now: Date, limit: number): Promise<ClaimedAlert[]> {
  const oldest = new Date(now.getTime() - MAX_AGE_DAYS * 86_400_000);
  const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
  const { rows } = await sql<ClaimedAlert>`
    update public.budget_alerts a
    set attempts = a.attempts + 1, next_attempt_at = ${leaseUntil}
    from public.organizations o, public.organization_webhooks h
    where o.id = a.organization_id
      and h.organization_id = a.organization_id
      and a.id in (
        select b.id from public.budget_alerts b
        join public.organization_webhooks w on w.organization_id = b.organization_id
        where b.notified_at is null
          and b.attempts < ${MAX_ATTEMPTS}
          and (b.next_attempt_at is null or b.next_attempt_at <= ${now})
          and b.created_at > ${oldest}
        order by b.created_at
        limit ${limit}
        for update of b skip locked
      )
    returning a.id, a.organization_id, o.slug, o.name, h.url, a.month::text as month,
      a.threshold_pct, a.spent::text as spent, a.budget::text as budget, a.currency, a.policy, a.created_at, a.attempts,
      a.kind, a.day::text as day, a.budget_id, a.scope, a.budget_window, a.target_name`.execute(db);
  return rows;
}

/** A 2xx answer: delivered, never picked again. */
export async function markAlertDelivered(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable("budget_alerts")
    .set({ notified_at: new Date(), next_attempt_at: null, last_error: null })
    .where("id", "=", id)
    .execute();
}

/** A failed attempt: the reason (host only, never the URL) and the next try, or null to give up. */
export async function markAlertFailed(db: Kysely<DB>, id: string, lastError: string, nextAttemptAt: Date | null): Promise<void> {
  await db
    .updateTable("budget_alerts")
    .set({ last_error: lastError, next_attempt_at: nextAttemptAt })
    .where("id", "=", id)
    .execute();
}
