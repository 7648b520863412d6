/**
 * `bench:fleet` items about shared state that is not load: a start of three instances at once on
 * an empty database, convergence of configuration changes and of key revocation across the three
 * (config-cache.ts polls config_version every 500 ms; goal < 2 s), and the login throttle across
 * instances (wrong passwords checked before the first refusal; goal: one instance's limit).
 */
import { chat, row, type Row } from "../faults/harness";
import { until, type Fleet } from "./fleet";
import { REVOKED_KEYS, type Db, type World } from "./world";

const CONFIG_CHANGES = 10;
const CONVERGE_LIMIT_MS = 10_000;
const LOGIN_LIMIT = 10; // lib/auth/login-throttle.ts: per (address, account) on one instance
const LOGIN_ATTEMPTS = 40;

const fmt = (ms: number) => (ms / 1000).toFixed(2);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

export async function startupRow(db: Db, item: number, startMs: number): Promise<Row> {
  const [m] = await db.query<{ n: string; dup: string }>(
    `select count(*)::text as n, (count(*) - count(distinct version))::text as dup from supabase_migrations.schema_migrations`,
  );
  return row(item, "3 instances started at once on an empty database (AUTO_MIGRATE on)", "all ready; each migration applied once",
    `all ready in ${fmt(startMs)} s; ${m?.n ?? "?"} migrations, ${m?.dup ?? "?"} applied twice`, m?.dup === "0");
}

/** Seconds from each commit until every instance answers by the new rule / refuses the revoked key. */
export async function convergenceRows(fleet: Fleet, db: Db, w: World, item: number): Promise<Row[]> {
  const worst: number[] = [];
  let missed = 0;
  for (let n = 0; n < CONFIG_CHANGES; n++) {
    const provider = n % 2 === 0 ? "fl-alt" : "fl-main";
    await db.query(`update llm_configurations set model_id = $1 where organization_id = $2 and priority = 200`, [w.models[provider], w.orgs["fl-conv"]]);
    const per = await Promise.all(
      fleet.live.map((s) => until(async () => (await chat(s.port, w.keys["fl-conv"]!, {}, { timeoutMs: 5_000 })).headers["x-llm-provider"] === provider, CONVERGE_LIMIT_MS)),
    );
    if (per.some((v) => v === null)) missed += 1;
    worst.push(Math.max(...per.map((v) => v ?? CONVERGE_LIMIT_MS)));
  }
  const revoked: number[] = [];
  for (let i = 0; i < REVOKED_KEYS; i++) {
    const name = `fl-revoke-${i}`;
    await db.query(`update api_keys set revoked_at = now() where id = $1`, [w.keyIds[name]]);
    const per = await Promise.all(
      fleet.live.map((s) => until(async () => (await chat(s.port, w.keys[name]!, {}, { timeoutMs: 5_000 })).status === 401, CONVERGE_LIMIT_MS)),
    );
    if (per.some((v) => v === null)) missed += 1;
    revoked.push(Math.max(...per.map((v) => v ?? CONVERGE_LIMIT_MS)));
  }
  const maxConf = Math.max(...worst);
  const maxRev = Math.max(...revoked);
  return [
    row(item, `routing rule changed ${CONFIG_CHANGES}× → s until all 3 instances route by it`, "< 2 s",
      `max ${fmt(maxConf)} s, median ${fmt(median(worst))} s${missed ? ` (${missed} never converged in ${CONVERGE_LIMIT_MS / 1000} s)` : ""}`, maxConf < 2000 && missed === 0),
    row(item, `${REVOKED_KEYS} keys revoked → s until all 3 instances refuse them (401)`, "< 2 s",
      `max ${fmt(maxRev)} s, median ${fmt(median(revoked))} s`, maxRev < 2000 && missed === 0),
  ];
}

function hiddenFields(html: string): [string, string][] {
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const out: [string, string][] = [];
  for (const tag of html.match(/<input[^>]*type="hidden"[^>]*>/g) ?? []) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (name !== undefined) out.push([decode(name), decode(/value="([^"]*)"/.exec(tag)?.[1] ?? "")]);
  }
  return out;
}

/** Wrong passwords for one account from one address, round-robin, through the sign-in form. */
export async function loginRow(fleet: Fleet, item: number): Promise<Row> {
  const what = `wrong passwords for one account over 3 instances, checked before the first refusal`;
  const goal = `${LOGIN_LIMIT} (one instance's limit)`;
  const servers = fleet.live;
  const page = await fetch(`http://127.0.0.1:${servers[0]!.port}/login`, { signal: AbortSignal.timeout(15_000) });
  const fields = hiddenFields(await page.text());
  if (!fields.some(([n]) => n.startsWith("$ACTION"))) return row(item, what, goal, "could not measure: no server-action fields in /login", false);
  let checked = 0;
  let refusedAt: number | null = null;
  let other = 0;
  for (let i = 0; i < LOGIN_ATTEMPTS && refusedAt === null; i++) {
    const form = new FormData();
    for (const [n, v] of fields) form.append(n, v);
    form.append("email", "owner@fleet.test");
    form.append("password", `wrong-${i}`);
    const s = servers[i % servers.length]!;
    const origin = `http://127.0.0.1:${s.port}`;
    const res = await fetch(`${origin}/login`, { method: "POST", body: form, headers: { origin }, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (text.includes("Too many failed attempts")) refusedAt = i + 1;
    else if (text.includes("Invalid email or password")) checked += 1;
    else other += 1;
  }
  const measured = refusedAt === null ? `${checked} checked, never refused in ${LOGIN_ATTEMPTS}` : `${checked} checked, refused at attempt ${refusedAt}`;
  return row(item, what, goal, `${measured}${other ? ` (${other} unrecognised answers)` : ""}`, refusedAt !== null && checked <= LOGIN_LIMIT && other === 0);
}
