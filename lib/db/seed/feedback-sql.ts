import { uniformSql as U } from "./sql-random";

/**
 * The feedback part of the calls statement (calls-sql.ts): reads the rows the `ins` CTE just
 * wrote, so it scores only seeded calls. Scores depend on the model and the query pattern: cheap
 * models lose more on hard patterns, which is exactly what learned routing has to discover.
 */
const fh1 = "md5(i.request_id::text || ':feedback')";
const fh2 = "md5(i.request_id::text || ':score')";

export const FEEDBACK_CTE = `
scored as (
  select i.*, p.now,
         ${U(fh2, 0)} + ${U(fh2, 1)} + ${U(fh2, 2)} - 1.5 as noise, ${U(fh2, 3)} as u_correct,
         ${U(fh1, 1)} as u_comment, ${U(fh1, 2)} as u_delay,
         coalesce(prof.quality, 3.5)
           + case when i.query_pattern in ('code', 'analysis', 'creative')
                  then case when prof.tier = 'small' then -0.6 else -0.15 end
                  when i.query_pattern in ('classification', 'extraction') then 0.1
                  else 0 end as mean_score,
         p.comments
  from ins i
  cross join params p
  left join profiles prof on prof.code = i.model_code
  where i.status = 'ok' and ${U(fh1, 0)} < p.feedback_share
),
feedback as (
  insert into public.production_feedback (request_id, organization_id, app_id, action_type, query_pattern,
                                          provider_code, model_code, quality_score, is_correct, comment,
                                          source, created_at)
  select s.request_id, s.organization_id, s.app_id, s.action_type, s.query_pattern, s.provider_code, s.model_code,
         sc.score, case when sc.score >= 4 then true when sc.score <= 2 then false else s.u_correct < 0.5 end,
         case when sc.score <= 2
              then s.comments ->> (floor(s.u_comment * jsonb_array_length(s.comments)))::int end,
         'seed',
         -- Feedback arrives minutes to two days after the answer, never in the future.
         least(s.created_at + (5 + s.u_delay * 2880) * interval '1 minute', s.now)
  from scored s
  cross join lateral (select greatest(1, least(5, round(s.mean_score + s.noise * 1.6)))::smallint as score) sc
  returning 1
)`;
