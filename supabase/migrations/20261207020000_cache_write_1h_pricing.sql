-- One-hour prompt-cache writes priced at their own rate. Anthropic bills tokens written to a
-- 1-hour cache (usage.cache_creation.ephemeral_1h_input_tokens, a part of
-- cache_creation_input_tokens) at 2x the input price, against 1.25x for the 5-minute cache;
-- until now every write was priced at the 5-minute rate, so calls using 1-hour caches were
-- under-costed. Forward-only.
--
-- model_prices.cache_write_1h_per_mtok: the 1-hour write price per million tokens; null = 2x the
-- input price (Anthropic's published rate; Anthropic is the only provider that reports 1-hour
-- writes), so existing rows price them correctly without being rewritten. Grants on model_prices
-- are table-wide and cover the new column; RLS policies are per row and unchanged.
alter table public.model_prices
  add column cache_write_1h_per_mtok numeric(20, 8)
    check (cache_write_1h_per_mtok is null or cache_write_1h_per_mtok >= 0);

-- llm_calls.cache_write_1h_tokens: the part of cache_write_tokens written to a 1-hour cache (the
-- rest is 5-minute writes). Null = not reported (every write is then a 5-minute write).
-- llm_calls.cache_write_1h_price_per_mtok: the 1-hour write price the cost was computed with, so a
-- recorded cost stays re-derivable from its row. Added to the partitioned parent, so to every
-- partition, existing and future; grants on llm_calls are table-wide.
alter table public.llm_calls
  add column cache_write_1h_tokens integer check (cache_write_1h_tokens >= 0),
  add column cache_write_1h_price_per_mtok numeric(20, 8);

-- llm_calls.usage_partial: true when the usage is what a stream had shown before it ended without
-- the provider's final usage (a cut, or the client leaving): Anthropic reports the input tokens
-- at message_start and the output so far at message_delta, so the tokens and the cost are known
-- lower bounds, recorded as such rather than as null. record_complete (attributed and priced) is
-- a generated column and stays as it is; dashboards and finance read usage_partial beside it.
alter table public.llm_calls
  add column usage_partial boolean not null default false;
