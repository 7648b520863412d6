-- Reference catalog: organizations, apps, providers, models with price history, routing rules
-- and typed settings. Idempotent (on conflict do nothing / where not exists) so it is safe for
-- `supabase db reset` and for the demo seeder (lib/db/seed/demo.ts), which runs it once on first
-- start in embedded and server mode. Users, keys and synthetic calls are not here: on Supabase,
-- users belong to Supabase Auth. No transaction control: the demo seeder runs it inside its own.
--
-- "Now" is `llmcp.seed_now` when the seeder sets it (tests pin the clock), else now(), so the one
-- now-relative price change lands inside the synthetic call window either way.

-- organizations (client companies) -------------------------------------------------------------
insert into public.organizations (slug, name, tier, monthly_budget, budget_currency, budget_policy)
values
  ('acme', 'Acme Installations', 'standard', 20.00, 'EUR', 'alert'),
  ('wvc', 'WVC', 'premium', 40.00, 'EUR', 'alert'),
  ('globex', 'Globex Services', 'standard', 4.00, 'USD', 'downgrade'),
  -- Routes everything to the mock provider, so the gateway can be tried without any API key.
  ('sandbox', 'Demo Sandbox', 'internal', null, 'EUR', 'alert')
on conflict (slug) do nothing;

-- providers: only the NAME of the env var holding the key; base_url null = the provider's default
insert into public.llm_providers (code, name, kind, base_url, api_key_env_var, timeout_ms, max_retries)
values
  ('anthropic', 'Anthropic', 'anthropic', null, 'ANTHROPIC_API_KEY', 60000, 2),
  ('mistral', 'Mistral AI', 'mistral', null, 'MISTRAL_API_KEY', 60000, 2),
  ('openai', 'OpenAI', 'openai', null, 'OPENAI_API_KEY', 60000, 2),
  ('google', 'Google Gemini', 'google', null, 'GOOGLE_API_KEY', 60000, 2),
  ('openrouter', 'OpenRouter', 'openrouter', null, 'OPENROUTER_API_KEY', 60000, 2),
  ('mock', 'Mock (no key, local)', 'mock', null, null, 5000, 0)
on conflict (code) do nothing;

-- models ------------------------------------------------------------------------------------------
-- kind: 'chat', or 'embedding' for POST /api/llm/v1/embeddings (priced per input token, output 0).
insert into public.llm_models (provider_id, model_code, display_name, context_window, max_output_tokens, kind)
select p.id, v.model_code, v.display_name, v.context_window, v.max_output_tokens, v.kind
from (values
  ('anthropic', 'claude-sonnet-4-20250514', 'Claude Sonnet 4', 200000, 64000, 'chat'),
  ('anthropic', 'claude-3-5-haiku-20241022', 'Claude Haiku 3.5', 200000, 8192, 'chat'),
  ('mistral', 'mistral-large-latest', 'Mistral Large', 128000, 8192, 'chat'),
  ('mistral', 'mistral-small-latest', 'Mistral Small', 128000, 8192, 'chat'),
  ('mistral', 'mistral-embed', 'Mistral Embed', 8192, null, 'embedding'),
  ('openai', 'gpt-4o', 'GPT-4o', 128000, 16384, 'chat'),
  ('openai', 'gpt-4o-mini', 'GPT-4o mini', 128000, 16384, 'chat'),
  ('openai', 'text-embedding-3-small', 'OpenAI text-embedding-3-small', 8191, null, 'embedding'),
  ('openai', 'text-embedding-3-large', 'OpenAI text-embedding-3-large', 8191, null, 'embedding'),
  ('google', 'gemini-2.0-flash', 'Gemini 2.0 Flash', 1048576, 8192, 'chat'),
  -- Deliberately without a price row: calls to it are priced from the built-in fallback table.
  ('google', 'gemini-2.5-flash', 'Gemini 2.5 Flash', 1048576, 65536, 'chat'),
  ('openrouter', 'meta-llama/llama-3.3-70b-instruct', 'Llama 3.3 70B (OpenRouter)', 131072, 16384, 'chat'),
  ('mock', 'mock-small', 'Mock small', 32000, 4096, 'chat'),
  ('mock', 'mock-large', 'Mock large', 128000, 8192, 'chat'),
  ('mock', 'mock-embed', 'Mock embeddings (256 dimensions)', 8192, null, 'embedding')
) v(provider_code, model_code, display_name, context_window, max_output_tokens, kind)
join public.llm_providers p on p.code = v.provider_code
on conflict (provider_id, model_code) do nothing;

-- prices per million tokens. EUR where the pilot guide (seed 000) states EUR prices, USD list
-- prices elsewhere. The base date predates the longest demo window (DEMO_DAYS <= 730).
-- cache_write_per_mtok: Anthropic's 5-minute prompt-cache write price, 1.25x input (as in
-- lib/engine/fallback-prices.ts); null elsewhere = cache writes priced as input.
insert into public.model_prices (model_id, input_per_mtok, output_per_mtok, cached_input_per_mtok,
                                 cache_write_per_mtok, currency, effective_from, source, note)
select m.id, v.input_per_mtok, v.output_per_mtok, v.cached_input_per_mtok, v.cache_write_per_mtok, v.currency,
       '2024-01-01T00:00:00Z'::timestamptz, 'seed', v.note
from (values
  ('anthropic', 'claude-sonnet-4-20250514', 3.00, 15.00, 0.30::numeric, 3.75::numeric, 'EUR', 'Pilot guide: €3.00 / €15.00'),
  ('anthropic', 'claude-3-5-haiku-20241022', 0.80, 4.00, 0.08, 1.00, 'USD', 'List price'),
  ('mistral', 'mistral-large-latest', 0.80, 2.40, null, null, 'EUR', 'Pilot guide: €0.80 / €2.40'),
  ('mistral', 'mistral-small-latest', 0.20, 0.60, null, null, 'USD', 'List price before the cut'),
  ('openai', 'gpt-4o', 2.50, 10.00, 1.25, null, 'USD', 'List price'),
  ('openai', 'gpt-4o-mini', 0.15, 0.60, 0.075, null, 'USD', 'List price'),
  ('google', 'gemini-2.0-flash', 0.10, 0.40, 0.025, null, 'USD', 'List price'),
  ('openrouter', 'meta-llama/llama-3.3-70b-instruct', 0.13, 0.40, null, null, 'USD', 'OpenRouter list price'),
  ('mock', 'mock-small', 0.10, 0.20, null, null, 'EUR', 'Nominal, so the mock path is priced like a real one'),
  ('mock', 'mock-large', 1.00, 3.00, null, null, 'EUR', 'Nominal, so the mock path is priced like a real one'),
  -- Embedding models: input tokens only.
  ('openai', 'text-embedding-3-small', 0.02, 0, null, null, 'USD', 'List price (embeddings: input only)'),
  ('openai', 'text-embedding-3-large', 0.13, 0, null, null, 'USD', 'List price (embeddings: input only)'),
  ('mistral', 'mistral-embed', 0.10, 0, null, null, 'USD', 'List price (embeddings: input only)'),
  ('mock', 'mock-embed', 0.02, 0, null, null, 'EUR', 'Nominal, so the mock embeddings are priced like real ones')
) v(provider_code, model_code, input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok,
    currency, note)
join public.llm_providers p on p.code = v.provider_code
join public.llm_models m on m.provider_id = p.id and m.model_code = v.model_code
on conflict (model_id, effective_from) do nothing;

-- One price change 45 days ago, so the price history and the pricing of calls by the row in force
-- at their time are visible. Guarded by "not exists" because its date moves with the clock.
insert into public.model_prices (model_id, input_per_mtok, output_per_mtok, cached_input_per_mtok,
                                 currency, effective_from, source, note)
select m.id, 0.10, 0.30, null, 'USD',
       date_trunc('day', coalesce(nullif(current_setting('llmcp.seed_now', true), '')::timestamptz, now())
                         at time zone 'UTC') at time zone 'UTC' - interval '45 days',
       'seed', 'Mistral price cut: $0.20 / $0.60 to $0.10 / $0.30'
from public.llm_models m
join public.llm_providers p on p.id = m.provider_id and p.code = 'mistral'
where m.model_code = 'mistral-small-latest'
  and not exists (
    select 1 from public.model_prices x
    where x.model_id = m.id and x.effective_from > '2024-01-01T00:00:00Z'::timestamptz
  );

-- apps: baseline = the model savings are measured against (seed 000: Claude everywhere before);
-- legacy = what the kill switch (routing.enabled = false) falls back to.
insert into public.apps (code, name, description, allow_explicit_models, baseline_model_id, legacy_model_id)
select v.code, v.name, v.description, v.allow_explicit_models,
       (select id from public.llm_models where model_code = v.baseline_model),
       (select id from public.llm_models where model_code = v.legacy_model)
from (values
  ('werkbon-checker', 'Werkbon Checker',
   'Classifies work orders (werkbonnen) and generates LLM-ready contracts.', false,
   'claude-sonnet-4-20250514', 'claude-sonnet-4-20250514'),
  ('student-assistant', 'Student Assistant',
   'Answers course questions, summarizes documents and grades essays for training programmes.', true,
   'gpt-4o', 'gpt-4o')
) v(code, name, description, allow_explicit_models, baseline_model, legacy_model)
on conflict (code) do nothing;

-- routing rules: defaults at priority 100, client overrides at 200 (seed 000) -----------------------
insert into public.llm_configurations (app_id, organization_id, action_type, model_id, fallback_model_ids,
                                       priority, params, description)
select a.id, o.id, v.action_type, m.id,
       array(select fm.id
             from unnest(v.fallbacks) with ordinality f(model_code, ord)
             join public.llm_models fm on fm.model_code = f.model_code
             order by f.ord),
       v.priority, v.params::jsonb, v.description
from (values
  ('werkbon-checker', null, 'werkbon_classification', 'mistral-large-latest',
   array['claude-3-5-haiku-20241022', 'gpt-4o-mini'], 100, '{"temperature": 0.1, "max_tokens": 1024}',
   'Classification on Mistral Large: 76% cheaper than Claude at equal quality (pilot guide).'),
  ('werkbon-checker', null, 'contract_generation', 'claude-sonnet-4-20250514',
   array['gpt-4o'], 100, '{"temperature": 0.3, "max_tokens": 8192}',
   'Contracts stay on Claude for quality.'),
  ('werkbon-checker', 'wvc', 'werkbon_classification', 'claude-sonnet-4-20250514',
   array['gpt-4o'], 200, '{"temperature": 0.1, "max_tokens": 1024}',
   'Premium client: Claude for everything.'),
  ('werkbon-checker', 'sandbox', 'werkbon_classification', 'mock-small',
   array[]::text[], 200, '{}', 'Sandbox: mock provider, no API key needed.'),
  ('werkbon-checker', 'sandbox', 'contract_generation', 'mock-large',
   array[]::text[], 200, '{}', 'Sandbox: mock provider, no API key needed.'),
  ('werkbon-checker', null, 'document_embedding', 'text-embedding-3-small',
   array['mistral-embed'], 100, '{}', 'Embeddings of work-order documents for retrieval (POST /v1/embeddings).'),
  ('werkbon-checker', 'sandbox', 'document_embedding', 'mock-embed',
   array[]::text[], 200, '{}', 'Sandbox: mock embeddings, no API key needed.'),
  ('student-assistant', null, '*', 'gpt-4o-mini',
   array['gemini-2.0-flash'], 100, '{"temperature": 0.7, "max_tokens": 2048}',
   'Default for every action without a rule of its own.'),
  ('student-assistant', null, 'summarize_document', 'mistral-small-latest',
   array['gpt-4o-mini'], 100, '{"temperature": 0.2, "max_tokens": 1024}', null),
  ('student-assistant', null, 'grade_essay', 'gpt-4o',
   array['claude-3-5-haiku-20241022'], 100, '{"temperature": 0, "max_tokens": 1500}', null),
  ('student-assistant', 'globex', 'summarize_document', 'meta-llama/llama-3.3-70b-instruct',
   array['mistral-small-latest'], 200, '{"temperature": 0.2, "max_tokens": 1024}',
   'Globex asked for an open-weight model.'),
  ('student-assistant', 'sandbox', '*', 'mock-small',
   array[]::text[], 200, '{}', 'Sandbox: mock provider, no API key needed.')
) v(app_code, org_slug, action_type, model_code, fallbacks, priority, params, description)
join public.apps a on a.code = v.app_code
left join public.organizations o on o.slug = v.org_slug
join public.llm_models m on m.model_code = v.model_code
where v.org_slug is null or o.id is not null
on conflict (app_id, organization_id, action_type, priority) do nothing;

-- typed settings: organization beats app beats global --------------------------------------------
insert into public.app_configuration (key, scope, value_type, value, min_value, max_value, description)
values
  ('confidence_threshold', 'global', 'float', '0.85', 0, 1,
   'Minimum classification confidence before a result is accepted without review.'),
  ('max_batch_size', 'global', 'int', '100', 1, 1000, 'Work orders per classification batch.'),
  ('feature_quick_classification', 'global', 'bool', 'true', null, null, 'Quick Classification page on or off.'),
  ('feature_contract_generation', 'global', 'bool', 'true', null, null, 'Contract generation on or off.'),
  ('routing.enabled', 'global', 'bool', 'true', null, null,
   'Kill switch: false sends every call to the app''s legacy model (USE_NEW_LLM_SYSTEM=false).'),
  ('learning.enabled', 'global', 'bool', 'true', null, null,
   'Apply learned routing overrides from production feedback.'),
  ('learning.min_confidence', 'global', 'string', '"medium"', null, null,
   'Lowest confidence (high, medium, low) at which a learned override is applied.'),
  ('logging.store_prompts', 'global', 'bool', 'false', null, null,
   'Store prompts and completions with each call. Off: only metadata, tokens and cost.'),
  ('reporting.currency', 'global', 'string', '"EUR"', null, null,
   'Currency the cost dashboards report in (ISO 4217).'),
  ('reporting.fx_rates', 'global', 'json', '{"USD": "0.92"}', null, null,
   'Rates into the reporting currency: 1 unit of the key currency = value units of reporting.currency. A currency without a rate is shown apart, never converted.'),
  ('reporting.time_zone', 'global', 'string', '"UTC"', null, null,
   'IANA time zone whose days the cost charts and exports use (e.g. Europe/Amsterdam). An organization row sets it for that organization''s own view.'),
  ('cache.ttl_seconds', 'global', 'int', '0', 0, 604800,
   'Response cache: seconds an identical request of the same app and organization is answered from the cache (x-llm-cache: hit, cost 0). 0 = off; set it per app or organization.')
on conflict (key, app_id, organization_id) do nothing;

insert into public.app_configuration (key, scope, app_id, value_type, value, description)
select 'routing.enabled', 'app', a.id, 'bool', 'true',
       'Kill switch for Werkbon Checker only: false = back to Claude (legacy path).'
from public.apps a where a.code = 'werkbon-checker'
on conflict (key, app_id, organization_id) do nothing;

insert into public.app_configuration (key, scope, organization_id, value_type, value, min_value, max_value, description)
select 'confidence_threshold', 'organization', o.id, 'float', '0.9', 0, 1,
       'WVC (premium) reviews anything below 90% confidence.'
from public.organizations o where o.slug = 'wvc'
on conflict (key, app_id, organization_id) do nothing;
