import { createHash } from "node:crypto";

/**
 * An app key's stored form: the sha-256 hex of the full key. Minting (lib/db/api-keys.ts) stores
 * it and the gateway (lib/gateway/keys.ts) looks keys up by it; pure, so both floors share it.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
