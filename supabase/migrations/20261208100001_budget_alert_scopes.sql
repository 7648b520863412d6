-- Threshold alerts for every budget scope (issue 13, "Budgets that finance can plan with").
--
-- Until now only the organization's monthly budget raised threshold alerts (80 % / 100 %), one per
-- (organization, month, threshold). Budgets per organization × app, per API key and daily windows
-- (20261208040001) raise them too now, one per (budget, window period, threshold): a daily budget
-- once per day of the organization's reporting time zone and threshold, a monthly one once per
-- month of that zone and threshold.
--
-- * budget_alerts.scope / budget_window / target_name: which budget an alert belongs to, kept on
--   the row itself so the history (and an undelivered webhook) still names it after the budget
--   is removed (budget_id is then set null by its foreign key). target_name is the app's or the
--   key's name when the alert was raised (null for organization budgets).
-- * The period key of a scoped alert: `month` = first day of the window's month in the zone,
--   `day` = the window's day for a daily budget, null for a monthly one. The unique index is
--   NULLS NOT DISTINCT, so (budget_id, month, null, threshold) of a monthly budget is unique too.
-- * The organization's monthly alerts keep their key (organization, month, threshold) with
--   budget_id null. The predicate also names the scope and window, so a scoped alert whose budget
--   was removed (budget_id now null) never collides with them.
-- Forward-only.

alter table public.budget_alerts
  add column scope text not null default 'organization'
    constraint budget_alerts_scope_check check (scope in ('organization', 'app', 'key')),
  add column budget_window text not null default 'month'
    constraint budget_alerts_budget_window_check check (budget_window in ('month', 'day')),
  add column target_name text
    constraint budget_alerts_target_name_check check (target_name is null or length(target_name) <= 200);

-- Threshold rows of a daily budget carry their day; forecast and spike rows always carry one.
alter table public.budget_alerts drop constraint budget_alerts_day_check;
alter table public.budget_alerts add constraint budget_alerts_day_check check (
  case when kind = 'threshold' then (day is null) = (budget_window = 'month') else day is not null end
);

drop index public.budget_alerts_threshold_key;
create unique index budget_alerts_threshold_key on public.budget_alerts (organization_id, month, threshold_pct)
  where kind = 'threshold' and budget_id is null and scope = 'organization' and budget_window = 'month';
create unique index budget_alerts_scoped_threshold_key on public.budget_alerts (budget_id, month, day, threshold_pct)
  nulls not distinct where kind = 'threshold' and budget_id is not null;

comment on column public.budget_alerts.scope is
  'organization, app or key: the scope of the budget the alert belongs to (kept when the budget is removed)';
comment on column public.budget_alerts.budget_window is
  'month or day: the window of the budget the alert belongs to';
comment on column public.budget_alerts.target_name is
  'The app''s or the API key''s name when the alert was raised (null for organization budgets)';
