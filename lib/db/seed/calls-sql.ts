import { sql, type RawBuilder } from "kysely";
import { CALL_STREAMS, ERROR_KINDS, MODEL_PROFILES, TRAFFIC, cumulative } from "./demo-profile";
import { FEEDBACK_CTE } from "./feedback-sql";
import { uniformSql as U } from "./sql-random";

/**
 * One INSERT … SELECT that generates the synthetic ledger (and, in the same statement, feedback on
 * ~10% of the answered requests). Generated in SQL rather than in TypeScript so that ~40k rows,
 * each priced from the price row in force at its time, take seconds on PGlite. Routing is read
 * from the seeded llm_configurations, so the calls agree with what the configuration says.
 */

export interface CallsParams {
  now: Date;
  days: number;
}

export function callsProfileJson() {
  return {
    streams: CALL_STREAMS.map((s) => ({
      id: s.id,
      org: s.org,
      app: s.app,
      action: s.action,
      per_day: s.perDay,
      weekend_factor: s.weekendFactor,
      start_hour: s.startHour,
      span_hours: s.spanHours,
      streamed_share: s.streamedShare,
      failure_rate: s.failureRate,
      model: s.model ?? null,
      provider: s.provider ?? null,
      fallback_input: s.fallbackPrice?.input ?? null,
      fallback_output: s.fallbackPrice?.output ?? null,
      fallback_cached: s.fallbackPrice?.cached ?? null,
      fallback_currency: s.fallbackPrice?.currency ?? null,
      since_days_ago: s.sinceDaysAgo ?? null,
      tokens_missing_share: s.tokensMissingShare ?? 0,
    })),
    mixes: CALL_STREAMS.flatMap((s) =>
      cumulative(s.mixes).map((m) => ({
        stream: s.id,
        lo: m.lo,
        hi: m.hi,
        stage: m.stage,
        request_type: m.requestType,
        purpose: m.purpose,
        pattern: m.pattern,
        prompt_tokens: m.promptTokens,
        completion_tokens: m.completionTokens,
        cached_share: m.cachedShare,
        entity: m.entity,
      })),
    ),
    models: MODEL_PROFILES.map((m) => ({
      code: m.code,
      version: m.version,
      first_token_ms: m.firstTokenMs,
      ms_per_token: m.msPerToken,
      quality: m.quality,
      tier: m.tier,
    })),
    errors: cumulative(ERROR_KINDS).map((e) => ({
      lo: e.lo,
      hi: e.hi,
      type: e.type,
      http_status: e.httpStatus,
      min_latency_ms: e.minLatencyMs,
      max_latency_ms: e.maxLatencyMs,
    })),
  };
}

// Token and money expressions shared by the call and its baseline: cached tokens are part of the
// prompt and billed at the cached rate (the input rate where a model has none).
const costOf = (p: string) =>
  `((tk.prompt_tokens - tk.cached_tokens) * ${p}.input_per_mtok * 0.000001
    + tk.cached_tokens * coalesce(${p}.cached_input_per_mtok, ${p}.input_per_mtok) * 0.000001
    + tk.completion_tokens * ${p}.output_per_mtok * 0.000001)`;

const BODY = `
streams_in as (
  select s.* from params, jsonb_to_recordset(params.streams) as s(
    id text, org text, app text, action text, per_day float8, weekend_factor float8, start_hour float8,
    span_hours float8, streamed_share float8, failure_rate float8, model text, provider text,
    fallback_input numeric, fallback_output numeric, fallback_cached numeric, fallback_currency text,
    since_days_ago int, tokens_missing_share float8)
),
mixes as (
  select x.* from params, jsonb_to_recordset(params.mixes) as x(
    stream text, lo float8, hi float8, stage text, request_type text, purpose text, pattern text,
    prompt_tokens int, completion_tokens int, cached_share float8, entity text)
),
profiles as (
  select m.* from params, jsonb_to_recordset(params.models) as m(
    code text, version text, first_token_ms float8, ms_per_token float8, quality float8, tier text)
),
error_kinds as (
  select e.* from params, jsonb_to_recordset(params.errors) as e(
    lo float8, hi float8, type text, http_status int, min_latency_ms int, max_latency_ms int)
),
-- Route each stream once, as the gateway would: exact action before '*', then priority, then the
-- organization's own rule before the default.
streams as (
  select s.*, o.id as org_id, a.id as app_id, a.legacy_model_id, a.baseline_model_id,
         em.id as explicit_model_id, ep.id as explicit_provider_id,
         cfg.id as config_id, cfg.model_id as config_model_id, cfg.fallback_model_ids[1] as fallback_model_id,
         case when cfg.organization_id is not null then 'client_override' else 'configuration' end as config_source
  from streams_in s
  join public.apps a on a.code = s.app
  left join public.organizations o on o.slug = s.org
  left join public.llm_models em on em.model_code = s.model
  left join public.llm_providers ep on ep.code = s.provider
  left join lateral (
    select c.* from public.llm_configurations c
    where c.app_id = a.id and c.enabled and c.action_type in (s.action, '*')
      and (c.organization_id is null or c.organization_id = o.id)
    order by (c.action_type = s.action) desc, c.priority desc, (c.organization_id is not null) desc
    limit 1
  ) cfg on s.model is null
),
days as (
  select k, date_trunc('day', p.now at time zone 'UTC') - k * interval '1 day' as day_utc
  from params p, generate_series(0, p.days - 1) k
),
volume as (
  select st.id as stream_id, d.k, d.day_utc,
         round(st.per_day
           * case when extract(isodow from d.day_utc) >= 6 then st.weekend_factor else 1 end
           * (p.growth_end - (p.growth_end - p.growth_start) * d.k / greatest(p.days - 1, 1))
           * (0.85 + 0.3 * ${U("md5(st.id || ':' || d.k)", 0)}))::int as n
  from streams st cross join days d cross join params p
  where st.since_days_ago is null or d.k < st.since_days_ago
),
hashed as (
  select v.stream_id, v.k, v.day_utc, g as i,
         md5(v.stream_id || ':' || v.k || ':' || g || ':a') as h1, md5(v.stream_id || ':' || v.k || ':' || g || ':b') as h2,
         md5(v.stream_id || ':' || v.k || ':' || g || ':c') as h3, md5(v.stream_id || ':' || v.k || ':' || g || ':d') as h4
  from volume v cross join lateral generate_series(1, v.n) g
),
-- Materialized: otherwise the planner inlines every md5 draw into each place it is used and
-- recomputes it there (measured: 3x slower on PostgreSQL).
requests as materialized (
  select st.*, h.k, md5('request:' || h.stream_id || ':' || h.k || ':' || h.i)::uuid as request_id,
         (h.day_utc + (st.start_hour + st.span_hours * (${U("h.h1", 1)} + ${U("h.h1", 2)}) / 2) * interval '1 hour')
           at time zone 'UTC' as created_at,
         ${U("h.h1", 0)} as u_mix, ${U("h.h1", 3)} as u_prompt1, ${U("h.h2", 0)} as u_prompt2,
         ${U("h.h2", 1)} as u_completion, ${U("h.h2", 2)} as u_cache, ${U("h.h2", 3)} as u_fail,
         ${U("h.h3", 0)} as u_error, ${U("h.h3", 1)} as u_error_latency, ${U("h.h3", 2)} as u_stream,
         ${U("h.h3", 3)} as u_first, ${U("h.h4", 0)} as u_per_token, ${U("h.h4", 1)} as u_user,
         ${U("h.h4", 2)} as u_entity, ${U("h.h4", 3)} as u_tokens_missing,
         (st.app = p.legacy_app and st.model is null and h.k >= p.legacy_days) as legacy
  from hashed h join streams st on st.id = h.stream_id cross join params p
),
resolved as (
  select r.*, mx.stage, mx.request_type, mx.purpose, mx.pattern, mx.entity, mx.cached_share,
         mx.prompt_tokens as mix_prompt, mx.completion_tokens as mix_completion,
         pm.model_id as primary_model_id, pm.routing_source,
         case when r.legacy or r.fallback_model_id is null then pm.model_id else r.fallback_model_id end as second_model_id,
         not r.legacy and r.fallback_model_id is not null as second_is_fallback,
         r.u_fail < case when r.k = p.incident_days and pp.code = p.incident_provider then p.incident_rate
                         else r.failure_rate end as failed,
         ek.type as error_type, ek.http_status,
         round(ek.min_latency_ms + (ek.max_latency_ms - ek.min_latency_ms) * r.u_error_latency)::int as error_latency_ms
  from requests r
  cross join params p
  join mixes mx on mx.stream = r.id and r.u_mix >= mx.lo and r.u_mix < mx.hi
  cross join lateral (
    select case when r.model is not null then r.explicit_model_id
                when r.legacy then r.legacy_model_id else r.config_model_id end as model_id,
           case when r.model is not null then 'explicit' when r.legacy then 'legacy' else r.config_source end as routing_source
  ) pm
  left join public.llm_models pmm on pmm.id = pm.model_id
  left join public.llm_providers pp on pp.id = pmm.provider_id
  left join error_kinds ek on r.u_error >= ek.lo and r.u_error < ek.hi
  where r.created_at <= p.now - interval '2 minutes'
),
attempts as materialized (
  select r.*, a.n as attempt, a.n = 1 and r.failed as attempt_failed, a.n = 2 and r.second_is_fallback as is_fallback,
         case when a.n = 1 then r.primary_model_id else r.second_model_id end as attempt_model_id,
         case when a.n = 1 then r.created_at
              else r.created_at + (r.error_latency_ms + 40) * interval '1 millisecond' end as at
  from resolved r cross join lateral (values (1), (2)) a(n)
  where a.n = 1 or r.failed
),
ins as (
  insert into public.llm_calls (
    id, request_id, attempt, created_at, app_id, organization_id, user_ref, action_type, request_type,
    pipeline_stage, purpose, query_pattern, related_entity_type, related_entity_id, provider_id,
    provider_code, model_id, model_code, model_version, prompt_tokens, completion_tokens, cached_tokens,
    total_tokens, input_price_per_mtok, output_price_per_mtok, cached_input_price_per_mtok, cost,
    currency, price_id, pricing_source, baseline_model_id, baseline_cost, latency_ms, ttft_ms, status,
    error_type, http_status, routing_source, config_id, is_fallback, streamed)
  select md5('call:' || t.request_id || ':' || t.attempt)::uuid, t.request_id, t.attempt, t.at, t.app_id, t.org_id,
         case when t.org is not null then t.org || '-u' || lpad((1 + floor(t.u_user * 30))::int::text, 2, '0') end,
         t.action, t.request_type, t.stage, t.purpose, t.pattern, t.entity,
         case t.entity when 'werkbon' then 'WB-' when 'contract' then 'CT-' when 'document' then 'DOC-' when 'essay' then 'ES-' end
           || (200000 + floor(t.u_entity * 700000))::int,
         pv.id, pv.code, m.id, coalesce(m.model_code, t.model), coalesce(prof.version, m.model_code, t.model),
         tk.prompt_tokens, tk.completion_tokens, tk.cached_tokens, tk.prompt_tokens + tk.completion_tokens,
         px.input_per_mtok, px.output_per_mtok, px.cached_input_per_mtok,
         case when px.source is not null then ${costOf("px")} end,
         px.currency, px.price_id, px.source, t.baseline_model_id,
         case when px.source is not null and bp.currency = px.currency then ${costOf("bp")} end,
         case when t.attempt_failed then t.error_latency_ms
              else round(coalesce(prof.first_token_ms, 500) * (0.7 + 0.6 * t.u_first)
                         + coalesce(tk.completion_tokens, t.mix_completion) * coalesce(prof.ms_per_token, 10)
                           * (0.8 + 0.4 * t.u_per_token))::int end,
         case when t.u_stream < t.streamed_share and not t.attempt_failed
              then round(coalesce(prof.first_token_ms, 500) * (0.7 + 0.6 * t.u_first))::int end,
         case when t.attempt_failed then 'failed' else 'ok' end,
         case when t.attempt_failed then t.error_type end, case when t.attempt_failed then t.http_status end,
         case when t.is_fallback then 'fallback' else t.routing_source end,
         case when t.routing_source in ('configuration', 'client_override') then t.config_id end,
         t.is_fallback, t.u_stream < t.streamed_share
  from attempts t
  left join public.llm_models m on m.id = t.attempt_model_id
  left join public.llm_providers pv on pv.id = coalesce(m.provider_id, t.explicit_provider_id)
  left join profiles prof on prof.code = coalesce(m.model_code, t.model)
  left join lateral (
    select mp.* from public.model_prices mp
    where mp.model_id = t.attempt_model_id and mp.effective_from <= t.at
    order by mp.effective_from desc limit 1
  ) pr on true
  left join lateral (
    select mp.* from public.model_prices mp
    where mp.model_id = t.baseline_model_id and mp.effective_from <= t.at
    order by mp.effective_from desc limit 1
  ) bp on true
  cross join lateral (
    -- Usage: none billed on a failed attempt; unknown when the provider returned none.
    select case when t.attempt_failed then 0 when t.u_tokens_missing < t.tokens_missing_share then null
                else round(t.mix_prompt * (0.55 + 0.45 * (t.u_prompt1 + t.u_prompt2)))::int end as prompt_tokens,
           case when t.attempt_failed then 0 when t.u_tokens_missing < t.tokens_missing_share then null
                else round(t.mix_completion * (0.5 + t.u_completion))::int end as completion_tokens
  ) tk0
  cross join lateral (
    select tk0.prompt_tokens, tk0.completion_tokens,
           case when tk0.prompt_tokens is null then null
                when t.u_cache < 0.7 and coalesce(pr.cached_input_per_mtok, case when pr.id is null then t.fallback_cached end) is not null
                then floor(tk0.prompt_tokens * t.cached_share * (0.7 + 0.3 * t.u_cache / 0.7))::int
                else 0 end as cached_tokens
  ) tk
  cross join lateral (
    select case when tk.prompt_tokens is null then null when pr.id is not null then 'database'
                when t.fallback_input is not null then 'fallback' end as source,
           case when pr.id is not null then pr.id end as price_id,
           coalesce(pr.input_per_mtok, t.fallback_input) as input_per_mtok,
           coalesce(pr.output_per_mtok, t.fallback_output) as output_per_mtok,
           case when pr.id is not null then pr.cached_input_per_mtok else t.fallback_cached end as cached_input_per_mtok,
           coalesce(pr.currency, t.fallback_currency) as currency
  ) px0
  cross join lateral (
    select px0.source, px0.price_id,
           case when px0.source is not null then px0.input_per_mtok end as input_per_mtok,
           case when px0.source is not null then px0.output_per_mtok end as output_per_mtok,
           case when px0.source is not null then px0.cached_input_per_mtok end as cached_input_per_mtok,
           case when px0.source is not null then px0.currency end as currency
  ) px
  returning request_id, created_at, status, organization_id, app_id, action_type, query_pattern, provider_code, model_code
),
${FEEDBACK_CTE}
select (select count(*) from ins)::int as calls, (select count(*) from feedback)::int as feedback`;

/** The statement; returns one row with the number of calls and feedback rows written. */
export function callsInsert({ now, days }: CallsParams): RawBuilder<{ calls: number; feedback: number }> {
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a positive integer, got ${days}`);
  const profile = callsProfileJson();
  return sql<{ calls: number; feedback: number }>`with params as (
  select ${now.toISOString()}::timestamptz as now, ${days}::int as days,
         ${JSON.stringify(profile.streams)}::jsonb as streams, ${JSON.stringify(profile.mixes)}::jsonb as mixes,
         ${JSON.stringify(profile.models)}::jsonb as models, ${JSON.stringify(profile.errors)}::jsonb as errors,
         ${JSON.stringify(TRAFFIC.lowScoreComments)}::jsonb as comments,
         ${TRAFFIC.growthStart}::float8 as growth_start, ${TRAFFIC.growthEnd}::float8 as growth_end,
         ${TRAFFIC.legacyApp}::text as legacy_app, ${TRAFFIC.legacyBeforeDaysAgo}::int as legacy_days,
         ${TRAFFIC.incident.daysAgo}::int as incident_days, ${TRAFFIC.incident.provider}::text as incident_provider,
         ${TRAFFIC.incident.failureRate}::float8 as incident_rate, ${TRAFFIC.feedbackShare}::float8 as feedback_share
),
${sql.raw(BODY)}`;
}
