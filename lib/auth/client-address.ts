/**
 * Who is signing in, from the request headers, without believing what the client says about
 * itself. Sign-in throttles by this address and sets the cookie's Secure flag from this scheme.
 *
 * - No trusted proxy (TRUSTED_PROXY=false, the default): the TCP peer. Under `npm start`,
 *   server.ts overwrites CLIENT_ADDRESS_HEADER with `req.socket.remoteAddress` on every request
 *   (a client-sent value never survives). Under `next dev` there is no server.ts: the address is
 *   then Next's `x-forwarded-for`, which Next fills from the socket only when the client sent none,
 *   so in development it can be spoofed. The scheme is http (server.ts speaks plain HTTP), whatever
 *   `X-Forwarded-Proto` says.
 * - TRUSTED_PROXY=true (one hop) or N hops: the right-most X-Forwarded-For entry not added by one
 *   of our own proxies (the N-th from the right), and the X-Forwarded-Proto entry at that hop.
 *   Entries to its left were written by the client and are ignored.
 */
export const CLIENT_ADDRESS_HEADER = "x-llmcp-client-address";

interface HeaderSource {
  get(name: string): string | null;
}

// IPv4, IPv6 (with an optional zone) or IPv4-mapped IPv6: nothing else is an address.
const ADDRESS = /^[0-9a-f.:]{2,45}(%[0-9a-z_.-]{1,32})?$/i;

function list(value: string | null): string[] {
  return (value ?? "").split(",").map((v) => v.trim()).filter((v) => v.length > 0);
}

/** The entry `hops` places from the right (the one our outermost trusted proxy saw), or the left-most. */
function hop(values: string[], hops: number): string | undefined {
  if (values.length === 0) return undefined;
  return values[Math.max(0, values.length - hops)];
}

function address(value: string | undefined): string | null {
  if (!value) return null;
  const bare = value.replace(/^\[(.*)\]$/, "$1");
  return ADDRESS.test(bare) ? bare.toLowerCase() : null;
}

export function clientAddress(headers: HeaderSource, trustedProxyHops: number): string {
  const socket = headers.get(CLIENT_ADDRESS_HEADER);
  if (trustedProxyHops > 0) {
    const forwarded = address(hop(list(headers.get("x-forwarded-for")), trustedProxyHops));
    if (forwarded) return forwarded;
  }
  if (socket !== null) return address(socket.trim()) ?? "unknown";
  // `next dev` (no server.ts): what Next forwards; see above.
  return address(hop(list(headers.get("x-forwarded-for")), 1)) ?? "unknown";
}

/** Whether the client reached us over HTTPS: only a trusted proxy can say so. */
export function requestIsHttps(headers: HeaderSource, trustedProxyHops: number): boolean {
  if (trustedProxyHops <= 0) return false;
  return hop(list(headers.get("x-forwarded-proto")), trustedProxyHops)?.toLowerCase() === "https";
}
