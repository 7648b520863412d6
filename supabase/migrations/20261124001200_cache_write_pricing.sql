-- Prompt-cache writes priced exactly. Anthropic bills tokens written to a 5-minute prompt cache
-- (cache_creation_input_tokens) at 1.25x the input price; until now they were priced as ordinary
-- input, so calls that write caches were under-costed. Forward-only.
--
-- model_prices.cache_write_per_mtok: the write price per million tokens; null = writes cost the
-- input price (the behaviour before this migration, so existing rows keep their meaning).
-- Existing grants on model_prices are table-wide (select, insert, delete for authenticated; all
-- for service_role) and cover the new column; RLS policies are per row and unchanged.
alter table public.model_prices
  add column cache_write_per_mtok numeric(20, 8)
    check (cache_write_per_mtok is null or cache_write_per_mtok >= 0);

-- llm_calls.cache_write_tokens: prompt tokens the attempt wrote to the provider's cache, a subset
-- of prompt_tokens (like cached_tokens). Null = not reported. llm_calls is partitioned by month:
-- a column added to the parent is added to every partition, existing and future. The grants on
-- llm_calls are table-wide (select for authenticated, all for service_role) and cover it.
-- llm_calls.cache_write_price_per_mtok: the write price the cost was computed with, beside
-- input/output/cached_input_price_per_mtok, so a recorded cost stays re-derivable from its row.
alter table public.llm_calls
  add column cache_write_tokens integer check (cache_write_tokens >= 0),
  add column cache_write_price_per_mtok numeric(20, 8);
