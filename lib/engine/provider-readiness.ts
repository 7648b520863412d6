import { KEYLESS_KINDS } from "@/lib/schemas/llm-provider";

/**
 * Whether a provider can serve a real call from this server: enabled, and its key's env var set
 * (key-less kinds without a variable need none). Pure: the caller passes the environment, and
 * only the verdict and the variable's NAME leave the server, never the key. The Providers page,
 * the model pickers and the route simulator share it, so they cannot disagree.
 */

export type KeyStatus = "present" | "missing" | "not_needed";

export interface ProviderReadiness {
  providerCode: string;
  enabled: boolean;
  key: KeyStatus;
  /** The env var the key is read from (a name, not a secret); null when none is named. */
  keyEnvVar: string | null;
  /** enabled and the key present or not needed. */
  ready: boolean;
}

export function keyStatus(kind: string, envVar: string | null, env: Record<string, string | undefined>): KeyStatus {
  if (!envVar) return KEYLESS_KINDS.includes(kind) ? "not_needed" : "missing";
  return (env[envVar] ?? "").trim().length > 0 ? "present" : "missing";
}

export function providerReadiness(
  provider: { code: string; kind: string; enabled: boolean; apiKeyEnvVar: string | null },
  env: Record<string, string | undefined>,
): ProviderReadiness {
  const key = keyStatus(provider.kind, provider.apiKeyEnvVar, env);
  return { providerCode: provider.code, enabled: provider.enabled, key, keyEnvVar: provider.apiKeyEnvVar, ready: provider.enabled && key !== "missing" };
}

/** Why a real call through this provider would fail, in words; null when it is ready. */
export function readinessProblem(r: ProviderReadiness): string | null {
  if (!r.enabled) return `provider ${r.providerCode} is disabled`;
  if (r.key === "missing") {
    return r.keyEnvVar
      ? `provider ${r.providerCode} has no key (env var ${r.keyEnvVar} not set)`
      : `provider ${r.providerCode} has no key (no env var is named for it)`;
  }
  return null;
}

/** A short mark for a model in a picker: "no key", "provider disabled", or null when ready. */
export function readinessMark(r: ProviderReadiness | undefined): string | null {
  if (!r) return null;
  if (!r.enabled) return "provider disabled";
  if (r.key === "missing") return "no key";
  return null;
}
