import { sql, type RawBuilder } from "kysely";
import { fakeKeyHash, ids } from "@/tests/helpers/fixtures";
import { DENIED, everyone, FILTERED, OK, read, RLS, write, type TableMatrix } from "@/tests/helpers/rls-matrix";

/**
 * Providers, models, prices, routing rules, typed settings and app keys. Column order in every row:
 *   anon, viewer A, finance A, admin A, platform admin, outsider (signed in, no membership).
 */

const F = FILTERED;
const c = ids.configs;
const s = ids.settings;
const k = ids.apiKeys;
const MODELS = ["primary", "secondary", "spare"];
/** Catalog tables: platform admins write, everyone else is refused. */
const catalogWrites = (table: string, insert: RawBuilder<unknown>, update: RawBuilder<unknown>, remove: RawBuilder<unknown>) => [
  write("insert", insert, [DENIED, RLS, RLS, RLS, OK, RLS]),
  write("update", update, [DENIED, F, F, F, OK, F]),
  write(`delete (${table})`, remove, [DENIED, F, F, F, OK, F]),
];

export const catalogMatrices: TableMatrix[] = [
  {
    table: "llm_providers",
    why: "catalog: every member reads it (never a key: only the env var's name is stored), platform admins write it",
    ops: [
      read("select", sql`select id::text as k from public.llm_providers`,
        [DENIED, ["provider", "spareProvider"], ["provider", "spareProvider"], ["provider", "spareProvider"], ["provider", "spareProvider"], []]),
      ...catalogWrites("unused provider",
        sql`insert into public.llm_providers (code, name, kind) values ('rls-new', 'New', 'mock')`,
        sql`update public.llm_providers set enabled = false where id = ${ids.provider}`,
        sql`delete from public.llm_providers where id = ${ids.spareProvider}`),
    ],
  },
  {
    table: "llm_models",
    ops: [
      read("select", sql`select id::text as k from public.llm_models`, [DENIED, MODELS, MODELS, MODELS, MODELS, []]),
      ...catalogWrites("unused model",
        sql`insert into public.llm_models (provider_id, model_code, display_name) values (${ids.provider}, 'mock-new', 'New')`,
        sql`update public.llm_models set enabled = false where id = ${ids.models.primary}`,
        sql`delete from public.llm_models where id = ${ids.models.spare}`),
    ],
  },
  {
    table: "model_prices",
    why: "prices are history: a change adds a row, nobody rewrites one (not even a platform admin)",
    ops: [
      read("select", sql`select id::text as k from public.model_prices`,
        [DENIED, ["primary", "secondary"], ["primary", "secondary"], ["primary", "secondary"], ["primary", "secondary"], []]),
      write("insert", sql`insert into public.model_prices (model_id, input_per_mtok, output_per_mtok, currency, effective_from)
                          values (${ids.models.primary}, 2, 10, 'USD', '2026-12-01T00:00:00Z')`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update", sql`update public.model_prices set input_per_mtok = 0 where id = ${ids.prices.primary}`, everyone(DENIED)),
      write("delete", sql`delete from public.model_prices where id = ${ids.prices.secondary}`, [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "llm_configurations",
    why: "members read defaults and their organization's overrides; org admins write their organization's overrides only",
    ops: [
      //                                                                                            anon    viewerA             financeA            adminA              platform                 outsider
      read("select", sql`select id::text as k from public.llm_configurations`,                     [DENIED, ["default", "A"],   ["default", "A"],   ["default", "A"],   ["default", "A", "B"],   []]),
      write("insert A", sql`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
                            values (${ids.app}, ${ids.orgA}, 'summarize', ${ids.models.primary}, 200)`, [DENIED, RLS, RLS, OK, OK, RLS]),
      write("insert B", sql`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
                            values (${ids.app}, ${ids.orgB}, 'summarize', ${ids.models.primary}, 200)`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert default", sql`insert into public.llm_configurations (app_id, organization_id, action_type, model_id)
                                  values (${ids.app}, null, 'summarize', ${ids.models.primary})`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A", sql`update public.llm_configurations set priority = 300 where id = ${c.A}`,          [DENIED, F, F, OK, OK, F]),
      write("update A → move to B", sql`update public.llm_configurations set organization_id = ${ids.orgB}, priority = 250 where id = ${c.A}`, [DENIED, F, F, RLS, OK, F]),
      write("update A → make default", sql`update public.llm_configurations set organization_id = null where id = ${c.A}`,     [DENIED, F, F, RLS, OK, F]),
      write("update B", sql`update public.llm_configurations set priority = 300 where id = ${c.B}`,          [DENIED, F, F, F, OK, F]),
      write("update default", sql`update public.llm_configurations set priority = 300 where id = ${c.default}`, [DENIED, F, F, F, OK, F]),
      write("delete A", sql`delete from public.llm_configurations where id = ${c.A}`,                        [DENIED, F, F, OK, OK, F]),
      write("delete B", sql`delete from public.llm_configurations where id = ${c.B}`,                        [DENIED, F, F, F, OK, F]),
      write("delete default", sql`delete from public.llm_configurations where id = ${c.default}`,            [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "app_configuration",
    why: "members read global, app and their organization's settings; org admins write organization-scoped settings of their organization only",
    ops: [
      read("select", sql`select id::text as k from public.app_configuration`, [
        DENIED, ["global", "app", "A"], ["global", "app", "A"], ["global", "app", "A"], ["global", "app", "A", "B"], [],
      ]),
      write("insert A", sql`insert into public.app_configuration (key, scope, organization_id, value_type, value)
                            values ('rls.other', 'organization', ${ids.orgA}, 'int', '5'::jsonb)`, [DENIED, RLS, RLS, OK, OK, RLS]),
      write("insert A for the app", sql`insert into public.app_configuration (key, scope, app_id, organization_id, value_type, value)
                            values ('rls.other', 'organization', ${ids.app}, ${ids.orgA}, 'int', '5'::jsonb)`, [DENIED, RLS, RLS, OK, OK, RLS]),
      write("insert B", sql`insert into public.app_configuration (key, scope, organization_id, value_type, value)
                            values ('rls.other', 'organization', ${ids.orgB}, 'int', '5'::jsonb)`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert app scope", sql`insert into public.app_configuration (key, scope, app_id, value_type, value)
                            values ('rls.other', 'app', ${ids.app}, 'int', '5'::jsonb)`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert global", sql`insert into public.app_configuration (key, scope, value_type, value)
                            values ('rls.other', 'global', 'int', '5'::jsonb)`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A", sql`update public.app_configuration set value = '31'::jsonb where id = ${s.A}`,       [DENIED, F, F, OK, OK, F]),
      write("update A → app scope", sql`update public.app_configuration
                            set key = 'rls.moved', scope = 'app', app_id = ${ids.app}, organization_id = null where id = ${s.A}`, [DENIED, F, F, RLS, OK, F]),
      write("update B", sql`update public.app_configuration set value = '41'::jsonb where id = ${s.B}`,       [DENIED, F, F, F, OK, F]),
      write("update app scope", sql`update public.app_configuration set value = '21'::jsonb where id = ${s.app}`, [DENIED, F, F, F, OK, F]),
      write("update global", sql`update public.app_configuration set value = '11'::jsonb where id = ${s.global}`, [DENIED, F, F, F, OK, F]),
      write("delete A", sql`delete from public.app_configuration where id = ${s.A}`,                           [DENIED, F, F, OK, OK, F]),
      write("delete B", sql`delete from public.app_configuration where id = ${s.B}`,                           [DENIED, F, F, F, OK, F]),
      write("delete app scope", sql`delete from public.app_configuration where id = ${s.app}`,                 [DENIED, F, F, F, OK, F]),
      write("delete global", sql`delete from public.app_configuration where id = ${s.global}`,                 [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "api_keys",
    why: "org admins manage keys pinned to their organization; the hash is readable by no user role, not even a platform admin",
    ops: [
      read("select (without key_hash)", sql`select id::text as k from public.api_keys`,           [DENIED, [], [], ["A"], ["A", "B", "app"], []]),
      read("select key_hash", sql`select key_hash as k from public.api_keys`,                     everyone(DENIED)),
      read("select *", sql`select id::text as k, * from public.api_keys`,                         everyone(DENIED)),
      write("insert A", sql`insert into public.api_keys (app_id, organization_id, name, prefix, key_hash)
                            values (${ids.app}, ${ids.orgA}, 'New', 'llmcp_n', ${fakeKeyHash("new")})`, [DENIED, RLS, RLS, OK, OK, RLS]),
      write("insert B", sql`insert into public.api_keys (app_id, organization_id, name, prefix, key_hash)
                            values (${ids.app}, ${ids.orgB}, 'New', 'llmcp_n', ${fakeKeyHash("new")})`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert unpinned", sql`insert into public.api_keys (app_id, organization_id, name, prefix, key_hash)
                            values (${ids.app}, null, 'New', 'llmcp_n', ${fakeKeyHash("new")})`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert A with admin scope", sql`insert into public.api_keys (app_id, organization_id, name, prefix, key_hash, scopes)
                            values (${ids.app}, ${ids.orgA}, 'New', 'llmcp_n', ${fakeKeyHash("new")}, array['llm', 'admin'])`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A → add admin scope", sql`update public.api_keys set scopes = array['llm', 'admin'] where id = ${k.A}`, [DENIED, F, F, RLS, OK, F]),
      write("update A (revoke)", sql`update public.api_keys set revoked_at = now() where id = ${k.A}`,      [DENIED, F, F, OK, OK, F]),
      write("update B (revoke)", sql`update public.api_keys set revoked_at = now() where id = ${k.B}`,      [DENIED, F, F, F, OK, F]),
      write("update unpinned (revoke)", sql`update public.api_keys set revoked_at = now() where id = ${k.app}`, [DENIED, F, F, F, OK, F]),
      write("update A key_hash", sql`update public.api_keys set key_hash = ${fakeKeyHash("swap")} where id = ${k.A}`, everyone(DENIED)),
      write("update A → re-pin to B", sql`update public.api_keys set organization_id = ${ids.orgB} where id = ${k.A}`, everyone(DENIED)),
      write("delete A", sql`delete from public.api_keys where id = ${k.A}`,                                 [DENIED, F, F, OK, OK, F]),
      write("delete B", sql`delete from public.api_keys where id = ${k.B}`,                                 [DENIED, F, F, F, OK, F]),
    ],
  },
];
