import { errorMessage } from "@/lib/errors";

/**
 * Why an insert failed decides what happens to the batch:
 * - connection: the database is unreachable or going away → spool to disk, replay later;
 * - data: some row is invalid (class 22 / 23, or 54 for an oversized value) → bisect the batch
 *   and dead-letter only the bad rows, since retrying them can never succeed;
 * - partition: no partition accepts the row → create partitions, retry once;
 * - systemic: the server answered but refuses every row alike (missing table after a bad deploy,
 *   permissions, serialization failure) → spool too: a fix or a retry can land them, and
 *   dead-lettering would bury good records.
 */
export type FailureKind = "connection" | "data" | "partition" | "systemic";

const SOCKET_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN",
  "EHOSTUNREACH", "ENETUNREACH", "ENOTCONN", "ESHUTDOWN", "ERR_SOCKET_CLOSED",
]);

/** node-postgres, PGlite and Kysely report these without a code. */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /client was closed/i,
  /pglite is closed/i,
  /driver has already been destroyed/i,
  /connection (?:is )?(?:closed|ended|lost)/i,
];

function codeOf(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

export function classifyFailure(err: unknown): FailureKind {
  const code = codeOf(err);
  const message = errorMessage(err);
  if (code && SOCKET_CODES.has(code)) return "connection";
  // Node reports a refused dual-stack connect (::1 and 127.0.0.1) as an AggregateError.
  if (err instanceof AggregateError && err.errors.some((e) => classifyFailure(e) === "connection")) return "connection";
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    // 23514 is also a CHECK violation; only the message tells the routing failure apart.
    if (code === "23514" && /no partition of relation/i.test(message)) return "partition";
    const cls = code.slice(0, 2);
    // 08 connection exception, 57 operator intervention (admin shutdown, cancel), 53300 too many connections.
    if (cls === "08" || cls === "57" || code === "53300") return "connection";
    if (cls === "22" || cls === "23" || cls === "54") return "data";
    return "systemic";
  }
  if (CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return "connection";
  // Client-side serialization of one value (circular JSON, a BigInt, an invalid Date) throws these
  // before anything is sent: the row is the problem, not the database.
  if (err instanceof TypeError || err instanceof RangeError) return "data";
  return "systemic";
}

/** A small, log-safe description of an error for the dead-letter file. */
export function describeError(err: unknown): { code?: string; message: string } {
  const code = codeOf(err);
  return code ? { code, message: errorMessage(err) } : { message: errorMessage(err) };
}
