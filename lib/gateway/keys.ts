import { hashKey } from "@/lib/engine/key-hash";
import type { GatewayKey, GatewayState } from "./config-cache";
import { GatewayError } from "./errors";

export const KEY_SCOPES = ["llm", "feedback", "admin"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** The bearer key from `Authorization: Bearer …` (or `x-api-key`, as Anthropic clients send). */
export function bearerKey(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return match?.[1] ?? null;
  }
  return headers.get("x-api-key");
}

/** Looks the key up in memory by its sha-256; revoked, expired or out-of-scope keys are refused. */
export function authenticateKey(state: GatewayState, headers: Headers, scope: KeyScope, now = Date.now()): GatewayKey {
  const key = bearerKey(headers);
  if (!key) throw new GatewayError(401, "authentication_error", "Missing API key: send Authorization: Bearer <key> (or x-api-key: <key>, as Anthropic clients do).");
  const found = state.keys.get(hashKey(key));
  if (!found) throw new GatewayError(401, "authentication_error", "Invalid API key.");
  if (found.revokedAt !== null && found.revokedAt <= now) throw new GatewayError(401, "authentication_error", "This API key has been revoked.");
  if (found.expiresAt !== null && found.expiresAt <= now) throw new GatewayError(401, "authentication_error", "This API key has expired.");
  if (!found.scopes.includes(scope)) {
    throw new GatewayError(403, "permission_error", `This API key lacks the "${scope}" scope.`);
  }
  return found;
}
