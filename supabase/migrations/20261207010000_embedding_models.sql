-- Embedding models in the catalog (issue 10): a model is either a chat model or an embedding
-- model. Routing reads the kind so a chat call never lands on an embedding model and an
-- embeddings call (POST /api/llm/v1/embeddings) never lands on a chat model; existing rows are
-- chat models. Embedding models are priced per input token (output price 0).
alter table public.llm_models
  add column kind text not null default 'chat' check (kind in ('chat', 'embedding'));

comment on column public.llm_models.kind is
  'chat: /v1/chat/completions and /generate; embedding: /v1/embeddings (priced per input token).';
