/**
 * Deterministic pseudo-randomness for SQL generators: a uniform draw in [0, 1) from 32 bits of an
 * md5 hash. md5 rather than random() so a seed run is reproducible (same data on every machine for
 * the same clock), and rather than hashtext() because md5 is stable across PostgreSQL versions.
 */

/** SQL for the `slot`-th (0-3) uniform draw carved from a 32-hex-digit md5 expression. */
export function uniformSql(md5Expr: string, slot: 0 | 1 | 2 | 3): string {
  return `(('x' || substr(${md5Expr}, ${slot * 8 + 1}, 8))::bit(32)::bigint::float8 / 4294967296)`;
}

/** The same draw in TypeScript, for tests that check the SQL against it. */
export function uniformFromMd5(md5Hex: string, slot: 0 | 1 | 2 | 3): number {
  if (!/^[0-9a-f]{32}$/.test(md5Hex)) throw new Error("expected 32 lowercase hex digits");
  return Number.parseInt(md5Hex.slice(slot * 8, slot * 8 + 8), 16) / 4294967296;
}
