import type { RawBuilder } from "kysely";
import type { Database } from "@/lib/db/client";
import { withUser, type UserTx } from "@/lib/db/rls";
import { claimsFor, labelOf } from "./fixtures";

/**
 * The RLS matrix: per table, a list of operations, each with the expected outcome for every role.
 * Every cell runs in its own RLS transaction that is always rolled back, so cells never see each
 * other's writes and a failed statement cannot poison the next one.
 */

export const ROLES = ["anon", "viewerA", "financeA", "adminA", "platformAdmin", "outsider"] as const;
export type Role = (typeof ROLES)[number];

/** Write outcomes. `denied`: no privilege (42501 permission denied). `rls`: WITH CHECK refused the
 * new row (42501 row-level security). `filtered`: USING hid the target, 0 rows affected. `check`: the
 * statement was allowed but a check constraint or guard trigger refused it (23514). */
export const OK = "ok";
export const DENIED = "denied";
export const RLS = "rls";
export const FILTERED = "filtered";
export const CHECK = "check";
export type WriteOutcome = typeof OK | typeof DENIED | typeof RLS | typeof FILTERED | typeof CHECK;
/** Read outcomes: `denied`, or the labels of the visible rows (see labelOf in fixtures). */
export type ReadOutcome = typeof DENIED | readonly string[];

type PerRole<T> = readonly [anon: T, viewerA: T, financeA: T, adminA: T, platformAdmin: T, outsider: T];

export type Operation =
  | { name: string; kind: "read"; query: RawBuilder<{ k: string }>; expect: PerRole<ReadOutcome> }
  | { name: string; kind: "write"; query: RawBuilder<unknown>; expect: PerRole<WriteOutcome> };

export interface TableMatrix {
  table: string;
  /** Why the rules are what they are: documentation for whoever reads or changes the matrix. */
  why?: string;
  ops: Operation[];
}

/** A read: `query` must return one text column `k` (a row id, or an organization id / 'none'). */
export function read(name: string, query: RawBuilder<{ k: string }>, expect: PerRole<ReadOutcome>): Operation {
  return { name, kind: "read", query, expect };
}

export function write(name: string, query: RawBuilder<unknown>, expect: PerRole<WriteOutcome>): Operation {
  return { name, kind: "write", query, expect };
}

/** The same outcome for every role. */
export function everyone<T>(outcome: T): PerRole<T> {
  return [outcome, outcome, outcome, outcome, outcome, outcome];
}

export interface Cell {
  title: string;
  role: Role;
  operation: Operation;
  expected: string | readonly string[];
}

export function cellsOf(matrix: TableMatrix): Cell[] {
  return matrix.ops.flatMap((operation) =>
    ROLES.map((role, i) => {
      const outcome = operation.expect[i]!;
      const expected = typeof outcome === "string" ? outcome : [...outcome].sort();
      const shown = typeof expected === "string" ? expected : `sees [${expected.join(", ")}]`;
      return { title: `${operation.name} as ${role} → ${shown}`, role, operation, expected };
    }),
  );
}

class Rollback extends Error {
  constructor() {
    super("rollback");
  }
}

function classify(err: unknown): string {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  const message = err instanceof Error ? err.message : String(err);
  if (code === "42501") return /row-level security/i.test(message) ? RLS : DENIED;
  if (code === "23514") return CHECK;
  return `error ${code}: ${message}`;
}

async function attempt(tx: UserTx, operation: Operation): Promise<string | string[]> {
  if (operation.kind === "read") {
    const { rows } = await operation.query.execute(tx);
    return [...new Set(rows.map((r) => labelOf(r.k)))].sort();
  }
  const result = await operation.query.execute(tx);
  return (result.numAffectedRows ?? 0n) > 0n ? OK : FILTERED;
}

/** Runs one cell as `role` and reports what happened, in the matrix's vocabulary. */
export async function runCell(db: Database, cell: Cell): Promise<string | string[]> {
  const claims = cell.role === "anon" ? null : claimsFor(cell.role);
  let observed: string | string[] = "not run";
  try {
    await withUser(db, claims, async (tx) => {
      try {
        observed = await attempt(tx, cell.operation);
      } catch (err) {
        observed = classify(err);
      }
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return observed;
}
