-- Finance writes are audited without reloading the gateway (issue 13). Forward-only.
--
-- audit_config_change() records a change AND bumps config_version (+ pg_notify), which makes every
-- gateway instance reload its whole configuration (lib/gateway/config-cache.ts polls the version).
-- Statements, billing terms and client prices used it too, so every period close (a statements
-- insert, then its marks_seen), every reopen and every price-list edit reloaded every instance,
-- although the gateway reads none of these tables (lib/db/config-snapshot.ts,
-- lib/db/gateway-config.ts). They are now audited exactly as before (same audit_log row: actor,
-- service actor, table, record, organization, action, before, after) by audit_finance_change(),
-- which does not touch config_version.
--
-- Tables that configure routing or admission (organizations, apps, api_keys, llm_providers,
-- llm_models, model_prices, llm_configurations, app_configuration, learning_overrides, budgets,
-- memberships) keep audit_config_change(). The other finance tables written by jobs were never
-- audited and never bumped the version, and stay so: budget_alerts (gateway and cron alerts),
-- statement_lines (frozen with their statement, whose row is audited), llm_call_statement_marks
-- (change marks kept by triggers on llm_calls). tests/integration/finance-audit-reload.test.ts.

create or replace function public.audit_finance_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  before_row jsonb;
  after_row jsonb;
  row_data jsonb;
  org uuid;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    before_row := to_jsonb(old) - array['key_hash', 'updated_at'];
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    after_row := to_jsonb(new) - array['key_hash', 'updated_at'];
  end if;
  if tg_op = 'UPDATE' and before_row = after_row then
    return null;
  end if;
  row_data := coalesce(after_row, before_row);
  org := (row_data ->> 'organization_id')::uuid;
  -- As audit_config_change: a row moved between organizations is filed for platform admins only.
  if tg_op = 'UPDATE' and (before_row ->> 'organization_id') is distinct from (after_row ->> 'organization_id') then
    org := null;
  end if;
  insert into public.audit_log (actor_id, actor_email, actor_role, actor_kind, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          public.audit_service_actor(claims),
          tg_table_name, row_data ->> 'id', org, lower(tg_op),
          before_row, after_row);
  return null;
end $$;
revoke all on function public.audit_finance_change() from public, anon, authenticated;

drop trigger statements_audit on public.statements;
create trigger statements_audit after insert or update or delete on public.statements
  for each row execute function public.audit_finance_change();
drop trigger billing_terms_audit on public.billing_terms;
create trigger billing_terms_audit after insert or update or delete on public.billing_terms
  for each row execute function public.audit_finance_change();
drop trigger client_prices_audit on public.client_prices;
create trigger client_prices_audit after insert or update or delete on public.client_prices
  for each row execute function public.audit_finance_change();
