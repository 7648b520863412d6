-- Budget webhooks: an optional URL per organization that budget alerts are POSTed to, and the
-- delivery bookkeeping on budget_alerts. Delivery runs as the service role (lib/finance/
-- budget-webhooks.ts); sessions keep their existing rights (members read their organization's
-- alerts, platform admins edit organizations), so no policy or grant changes here.

-- https only; plain http only for loopback hosts (tests, local development). No user-info part
-- (user:password@host): credentials belong in the path or query, where the dispatcher never logs
-- them. The same rule is in lib/schemas/budget.ts so forms get a clear message first.
alter table public.organizations
  add column budget_webhook_url text
    constraint organizations_budget_webhook_url_check check (
      budget_webhook_url is null or (
        length(budget_webhook_url) <= 2000
        and (
          budget_webhook_url ~ '^https://[^\s/?#@]+([/?#]\S*)?$'
          or budget_webhook_url ~ '^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?([/?#]\S*)?$'
        )
      )
    );

-- attempts: delivery attempts so far. next_attempt_at: when the dispatcher may try again; while
-- a dispatcher holds the row it is pushed into the future (a lease), so two dispatchers never
-- send the same alert. last_error: why the last attempt failed (status code or error class,
-- never the URL). notified_at (existing) is set once a webhook answered 2xx.
alter table public.budget_alerts
  add column attempts integer not null default 0 constraint budget_alerts_attempts_check check (attempts >= 0),
  add column last_error text constraint budget_alerts_last_error_check check (last_error is null or length(last_error) <= 500),
  add column next_attempt_at timestamptz;

-- The dispatcher's scan: undelivered alerts that are due.
create index budget_alerts_due_idx on public.budget_alerts (next_attempt_at nulls first, created_at)
  where notified_at is null;

-- Column additions inherit the tables' grants; restated so the rights are visible here.
revoke all on public.budget_alerts from anon, authenticated;
grant select on public.budget_alerts to authenticated;
grant all on public.budget_alerts to service_role;
