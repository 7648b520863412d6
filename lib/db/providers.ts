import type { Kysely } from "kysely";
import type { CircuitState } from "./provider-circuits";
import { keyStatus } from "@/lib/engine/provider-readiness";
import { type ProviderEnabledInput, type ProviderFormInput } from "@/lib/schemas/llm-provider";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Providers for the platform admins' page, read and written under RLS. The key's presence is
 * checked in this server's environment and reduced to a boolean here: the value never leaves
 * this module, so it cannot reach the page, a log or the browser.
 */

export interface ProviderRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  baseUrl: string | null;
  apiKeyEnvVar: string | null;
  enabled: boolean;
  timeoutMs: number;
  maxRetries: number;
  modelCount: number;
  /** "present" / "missing" in this server's environment; "not_needed" for key-less kinds without a name. */
  key: "present" | "missing" | "not_needed";
  /** This server instance's breaker for the provider; other instances keep their own. */
  circuit: CircuitState;
}

export interface ProviderRuntime {
  env: Record<string, string | undefined>;
  circuits: Record<string, CircuitState>;
}


export async function loadProviders(db: Database | Kysely<DB>, claims: JwtClaims, rt: ProviderRuntime): Promise<ProviderRow[]> {
  const rows = await withUser(db, claims, (tx) =>
    tx
      .selectFrom("llm_providers as p")
      .leftJoin("llm_models as m", "m.provider_id", "p.id")
      .select((eb) => [
        "p.id", "p.code", "p.name", "p.kind", "p.base_url", "p.api_key_env_var", "p.enabled", "p.timeout_ms", "p.max_retries",
        eb.fn.count<string>("m.id").as("model_count"),
      ])
      .groupBy("p.id")
      .orderBy("p.code")
      .execute(),
  );
  return rows.map((p) => ({
    id: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    baseUrl: p.base_url,
    apiKeyEnvVar: p.api_key_env_var,
    enabled: p.enabled,
    timeoutMs: p.timeout_ms,
    maxRetries: p.max_retries,
    modelCount: Number(p.model_count),
    key: keyStatus(p.kind, p.api_key_env_var, rt.env),
    circuit: rt.circuits[p.code] ?? "closed",
  }));
}

const NOT_FOUND = "Provider not found, or you may not change it.";

export async function setProviderEnabled(tx: UserTx, input: ProviderEnabledInput): Promise<{ id: string }> {
  const result = await tx.updateTable("llm_providers").set({ enabled: input.enabled }).where("id", "=", input.id).executeTakeFirst();
  // RLS hides the row from non-admins, so a refused update matches nothing instead of failing.
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id: input.id };
}

/**
 * Adds a provider (no id) or edits one; the code is fixed once created. The table's checks repeat
 * the schema's (env var pattern, key required for keyed kinds, bounds), so a forged call that
 * skips the form is refused by the database too. A duplicate code comes back as a field error.
 */
export async function saveProvider(tx: UserTx, input: ProviderFormInput): Promise<{ id: string; created: boolean }> {
  const values = {
    name: input.name,
    kind: input.kind,
    base_url: input.baseUrl,
    api_key_env_var: input.apiKeyEnvVar,
    timeout_ms: input.timeoutMs,
    max_retries: input.maxRetries,
  };
  if (!input.id) {
    const taken = await tx.selectFrom("llm_providers").select("id").where("code", "=", input.code).executeTakeFirst();
    if (taken) throw new WriteRefusal("Check the highlighted fields.", { code: [`A provider called ${input.code} exists already.`] });
    const row = await tx.insertInto("llm_providers").values({ ...values, code: input.code }).returning("id").executeTakeFirstOrThrow();
    return { id: row.id, created: true };
  }
  const result = await tx.updateTable("llm_providers").set(values).where("id", "=", input.id).where("code", "=", input.code).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id: input.id, created: false };
}
