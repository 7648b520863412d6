import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * The cron routes' check: Vercel Cron sends `Authorization: Bearer ${CRON_SECRET}`; without a
 * configured secret every call is refused (401). The secret is the validated env's (lib/env.ts:
 * at least 16 characters), compared in constant time.
 */
export function cronAuthorized(request: Request): boolean {
  const secret = getEnv().CRON_SECRET;
  const given = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret ?? ""}`;
  return !!secret && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
