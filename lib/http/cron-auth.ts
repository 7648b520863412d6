import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * The cron routes' check: Vercel Cron sends `Authorization: Bearer ${CRON_SECRET}`; without a
 * configured secret every call is refused (401). Two readings of the secret exist today and are
 * kept as they were: the validated, cached env (budget alerts, partitions) and process.env read
 * on each call with secrets under 16 characters ignored (retrain, reprice).
 */
function bearerMatches(request: Request, secret: string | undefined): boolean {
  const given = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret ?? ""}`;
  return !!secret && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Against getEnv().CRON_SECRET (validated once per process). */
export function cronAuthorized(request: Request): boolean {
  return bearerMatches(request, getEnv().CRON_SECRET);
}

/** Against process.env.CRON_SECRET as it is now; a secret shorter than 16 characters counts as none. */
export function cronAuthorizedLive(request: Request): boolean {
  const secret = process.env.CRON_SECRET;
  return bearerMatches(request, secret && secret.length >= 16 ? secret : undefined);
}
