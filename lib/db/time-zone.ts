import type { Kysely } from "kysely";
import { DEFAULT_TIME_ZONE, TIME_ZONE_KEY, timeZoneFrom } from "@/lib/engine/date-range";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * The reporting time zone (`reporting.time_zone`, an IANA name; default UTC) whose days every
 * chart, total and export of a range uses, read under RLS. The rule (README "Date ranges"):
 * a view of ONE organization uses that organization's own row when it has one, else the global
 * row; a view of several organizations uses the global row, so one chart never mixes days of
 * different zones. An invalid stored value reads as UTC (never a broken page).
 */
export async function timeZoneFor(tx: UserTx, organizationId: string | null): Promise<string> {
  let q = tx
    .selectFrom("app_configuration")
    .select(["scope", "value"])
    .where("key", "=", TIME_ZONE_KEY)
    .where("app_id", "is", null);
  q = organizationId
    ? q.where((eb) => eb.or([eb("scope", "=", "global"), eb.and([eb("scope", "=", "organization"), eb("organization_id", "=", organizationId)])]))
    : q.where("scope", "=", "global");
  const rows = await q.execute();
  const own = rows.find((r) => r.scope === "organization");
  const global = rows.find((r) => r.scope === "global");
  return timeZoneFrom(own?.value ?? global?.value ?? DEFAULT_TIME_ZONE);
}

/** The same, in a transaction of its own, for a page that needs the zone before parsing its range. */
export async function loadTimeZone(db: Database | Kysely<DB>, claims: JwtClaims, organizationId: string | null): Promise<string> {
  return withUser(db, claims, (tx) => timeZoneFor(tx, organizationId));
}
