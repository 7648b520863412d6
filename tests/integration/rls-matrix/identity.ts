import { sql } from "kysely";
import { FIXTURE_WEBHOOK_TOKEN, ids } from "@/tests/helpers/fixtures";
import { CHECK, DENIED, everyone, FILTERED, OK, read, RLS, write, type TableMatrix } from "@/tests/helpers/rls-matrix";

/**
 * Organizations, people, apps and the platform's own bookkeeping. Column order in every row:
 *   anon, viewer A, finance A, admin A, platform admin, outsider (signed in, no membership).
 */

const u = ids.users;
const m = ids.memberships;

export const identityMatrices: TableMatrix[] = [
  {
    table: "organizations",
    why: "members read their organizations; only platform admins create, change or remove one",
    ops: [
      //                                                                                       anon    viewerA  financeA adminA   platform     outsider
      read("select", sql`select id::text as k from public.organizations`,                    [DENIED, ["A"],   ["A"],   ["A"],   ["A", "B"],  []]),
      read("select B by id", sql`select id::text as k from public.organizations where id = ${ids.orgB}`, [DENIED, [], [], [], ["B"], []]),
      write("insert", sql`insert into public.organizations (slug, name) values ('rls-new', 'New')`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A", sql`update public.organizations set monthly_budget = 1 where id = ${ids.orgA}`, [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("update B", sql`update public.organizations set name = 'Renamed' where id = ${ids.orgB}`, [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete A", sql`delete from public.organizations where id = ${ids.orgA}`,       [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete B", sql`delete from public.organizations where id = ${ids.orgB}`,       [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
    ],
  },
  {
    table: "budgets",
    why: "an organization's budgets (per organization, app and key): its admins and finance read them, viewers do not; only platform admins write",
    ops: [
      //                                                                                         anon    viewerA  financeA adminA   platform outsider
      read("select", sql`select distinct organization_id::text as k from public.budgets`,       [DENIED, [],      ["A"],   ["A"],   ["A"],   []]),
      write("insert B app budget", sql`insert into public.budgets (organization_id, app_id, period, amount, currency, policy)
                                       values (${ids.orgB}, ${ids.app}, 'day', 5, 'EUR', 'block')`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert A, amount below 0", sql`insert into public.budgets (organization_id, period, amount, currency, policy)
                                            values (${ids.orgA}, 'day', -1, 'EUR', 'block')`, [DENIED, RLS, RLS, RLS, CHECK, RLS]),
      write("update A", sql`update public.budgets set amount = 1 where organization_id = ${ids.orgA}`, [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete A", sql`delete from public.budgets where organization_id = ${ids.orgA}`,       [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
    ],
  },
  {
    table: "organization_webhooks",
    why: "budget webhook URLs often carry a token: platform admins only, even for the organization's own admins",
    ops: [
      //                                                                                        anon    viewerA  financeA adminA   platform outsider
      read("select", sql`select organization_id::text as k from public.organization_webhooks`, [DENIED, [],      [],      [],      ["A"],   []]),
      read("select A's URL", sql`select organization_id::text as k from public.organization_webhooks where organization_id = ${ids.orgA} and url like '%token%'`,
        [DENIED, [], [], [], ["A"], []]),
      write("insert B", sql`insert into public.organization_webhooks (organization_id, url) values (${ids.orgB}, 'https://hooks.example.com/b')`,
        [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert B, plain http", sql`insert into public.organization_webhooks (organization_id, url) values (${ids.orgB}, 'http://hooks.example.com/b')`,
        [DENIED, RLS, RLS, RLS, CHECK, RLS]),
      write("update A", sql`update public.organization_webhooks set url = 'https://evil.example.com/x' where organization_id = ${ids.orgA}`,
        [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete A", sql`delete from public.organization_webhooks where organization_id = ${ids.orgA}`,
        [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
    ],
  },
  {
    table: "profiles",
    why: "everyone reads and renames their own profile; org admins read their members' profiles; rows come from auth.users",
    ops: [
      read("select", sql`select id::text as k from public.profiles`, [
        DENIED,
        ["viewerA"],
        ["financeA"],
        ["viewerA", "financeA", "adminA"],
        ["viewerA", "financeA", "adminA", "platformAdmin", "outsider", "viewerB", "adminB"],
        ["outsider"],
      ]),
      write("insert", sql`insert into public.profiles (id, email) values (gen_random_uuid(), 'x@rls.test')`, everyone(DENIED)),
      write("update own display_name", sql`update public.profiles set display_name = 'Me' where id = auth.uid()`, [DENIED, OK, OK, OK, OK, OK]),
      write("update another's display_name", sql`update public.profiles set display_name = 'You' where id = ${u.viewerB}`, [DENIED, FILTERED, FILTERED, FILTERED, FILTERED, FILTERED]),
      write("update own email", sql`update public.profiles set email = 'evil@rls.test' where id = auth.uid()`, everyone(DENIED)),
      write("delete own", sql`delete from public.profiles where id = auth.uid()`,           everyone(DENIED)),
    ],
  },
  {
    table: "auth.users",
    why: "password hashes and auth metadata: users see the public.profiles projection, never this table",
    ops: [
      read("select", sql`select id::text as k from auth.users`,                                 everyone(DENIED)),
      write("update own email", sql`update auth.users set email = 'evil@rls.test' where id = auth.uid()`, everyone(DENIED)),
    ],
  },
  {
    table: "memberships",
    why: "own memberships are visible; org admins manage their organization's; only platform admins touch others or grant platform-wide roles",
    ops: [
      read("select", sql`select id::text as k from public.memberships`, [
        DENIED,
        ["viewerA"],
        ["financeA"],
        ["viewerA", "financeA", "adminA"],
        ["viewerA", "financeA", "adminA", "platformAdmin", "viewerB", "adminB"],
        [],
      ]),
      //                                                                                                                        anon    viewerA   financeA  adminA    platform outsider
      write("insert into A", sql`insert into public.memberships (user_id, organization_id, role) values (${u.outsider}, ${ids.orgA}, 'viewer')`, [DENIED, RLS, RLS, OK, OK, RLS]),
      write("insert into B", sql`insert into public.memberships (user_id, organization_id, role) values (${u.outsider}, ${ids.orgB}, 'viewer')`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert platform-wide admin", sql`insert into public.memberships (user_id, organization_id, role) values (${u.outsider}, null, 'admin')`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A (role)", sql`update public.memberships set role = 'admin' where id = ${m.viewerA}`,         [DENIED, FILTERED, FILTERED, OK, OK, FILTERED]),
      write("update A → move to B", sql`update public.memberships set organization_id = ${ids.orgB} where id = ${m.viewerA}`, [DENIED, FILTERED, FILTERED, RLS, OK, FILTERED]),
      write("update A → platform-wide", sql`update public.memberships set organization_id = null where id = ${m.viewerA}`, [DENIED, FILTERED, FILTERED, RLS, OK, FILTERED]),
      write("update B", sql`update public.memberships set role = 'admin' where id = ${m.viewerB}`,               [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("update platform-wide", sql`update public.memberships set role = 'viewer' where id = ${m.platformAdmin}`, [DENIED, FILTERED, FILTERED, FILTERED, CHECK, FILTERED]),
      write("delete A", sql`delete from public.memberships where id = ${m.viewerA}`,                               [DENIED, FILTERED, FILTERED, OK, OK, FILTERED]),
      write("delete B", sql`delete from public.memberships where id = ${m.viewerB}`,                               [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete platform-wide", sql`delete from public.memberships where id = ${m.platformAdmin}`,             [DENIED, FILTERED, FILTERED, FILTERED, CHECK, FILTERED]),
      // Lock-out guards (migration 20261124000800): the last platform admin stays, nobody drops their own last admin role.
      write("delete own admin in A", sql`delete from public.memberships where id = ${m.adminA}`,                   [DENIED, FILTERED, FILTERED, CHECK, OK, FILTERED]),
      write("demote own admin in A", sql`update public.memberships set role = 'viewer' where id = ${m.adminA}`,    [DENIED, FILTERED, FILTERED, CHECK, OK, FILTERED]),
      // Finding a user to add by email: only for administrators, who may name people outside their organizations.
      read("user_id_for_email", sql`select public.user_id_for_email(${"ViewerB@rls.test"})::text as k`, [DENIED, DENIED, DENIED, ["viewerB"], ["viewerB"], DENIED]),
    ],
  },
  {
    table: "apps",
    why: "catalog: every member reads it, platform admins write it",
    ops: [
      read("select", sql`select id::text as k from public.apps`,                                  [DENIED, ["app"], ["app"], ["app"], ["app"], []]),
      write("insert", sql`insert into public.apps (code, name) values ('rls-new-app', 'New')`,    [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update", sql`update public.apps set name = 'Renamed' where id = ${ids.app}`,         [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
      write("delete", sql`delete from public.apps where id = ${ids.app}`,                         [DENIED, FILTERED, FILTERED, FILTERED, OK, FILTERED]),
    ],
  },
  {
    table: "audit_log",
    why: "written only by triggers; org admins read their organization's trail, platform admins all of it",
    ops: [
      read("select (by organization)", sql`select distinct coalesce(organization_id::text, 'none') as k from public.audit_log`,
        [DENIED, [], [], ["A"], ["A", "B", "none"], []]),
      // Webhook changes are filed under their organization with the host only: no one, not even a
      // platform admin, finds the URL's token in the trail.
      read("organization_webhooks rows", sql`select distinct organization_id::text as k from public.audit_log where table_name = 'organization_webhooks'`,
        [DENIED, [], [], ["A"], ["A"], []]),
      read("organization_webhooks rows holding the token", sql`select distinct organization_id::text as k from public.audit_log
        where table_name = 'organization_webhooks' and (coalesce(before::text, '') || coalesce(after::text, '')) like ${`%${FIXTURE_WEBHOOK_TOKEN}%`}`,
        [DENIED, [], [], [], [], []]),
      write("insert", sql`insert into public.audit_log (actor_role, table_name, action) values ('authenticated', 'apps', 'insert')`, everyone(DENIED)),
      write("update", sql`update public.audit_log set actor_email = 'forged@rls.test'`,           everyone(DENIED)),
      write("delete", sql`delete from public.audit_log`,                                          everyone(DENIED)),
    ],
  },
  {
    table: "config_version",
    why: "bumped by the audit trigger, read by the gateway (service role) only",
    ops: [
      read("select", sql`select version::text as k from public.config_version`,                  everyone(DENIED)),
      write("insert", sql`insert into public.config_version (id, version) values (true, 1)`,      everyone(DENIED)),
      write("update", sql`update public.config_version set version = version + 1`,                everyone(DENIED)),
      write("delete", sql`delete from public.config_version`,                                     everyone(DENIED)),
    ],
  },
  {
    table: "instance_secrets",
    why: "session signing keys: service role only",
    ops: [
      read("select", sql`select name as k from public.instance_secrets`,                          everyone(DENIED)),
      write("insert", sql`insert into public.instance_secrets (name, value) values ('x', 'y')`,  everyone(DENIED)),
      write("update", sql`update public.instance_secrets set value = 'stolen'`,                   everyone(DENIED)),
      write("delete", sql`delete from public.instance_secrets`,                                   everyone(DENIED)),
    ],
  },
];
