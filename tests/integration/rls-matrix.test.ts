import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { createFixtureWorld } from "@/tests/helpers/fixtures";
import { cellsOf, runCell, type TableMatrix } from "@/tests/helpers/rls-matrix";
import { catalogMatrices } from "./rls-matrix/catalog";
import { identityMatrices } from "./rls-matrix/identity";
import { ledgerMatrices } from "./rls-matrix/ledger";

/**
 * Who may do what, enforced by the database: every public table × every role × select / insert /
 * update / delete, on PGlite and on PostgreSQL. The expectations live in ./rls-matrix/*.ts as
 * readable tables; each cell becomes one test.
 */
const MATRICES: TableMatrix[] = [...identityMatrices, ...catalogMatrices, ...ledgerMatrices];

/** Row counts of every fixture table, seen by the owner: proves each cell rolled back. */
async function snapshot(db: Database): Promise<Record<string, number>> {
  const { rows } = await sql<{ name: string; n: number }>`
    select c.relname as name,
           (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from public.%I', c.relname), false, true, '')))[1]::text::int as n
    from pg_class c join pg_namespace s on s.oid = c.relnamespace
    where s.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by 1`.execute(db.kysely);
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

describe.each(databaseTargets({ pooler: true }))("RLS matrix on $name", (target) => {
  let db: Database;
  let before: Record<string, number>;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    before = await snapshot(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const matrix of MATRICES) {
    describe(matrix.table, () => {
      for (const cell of cellsOf(matrix)) {
        it(cell.title, async () => {
          expect(await runCell(db, cell)).toEqual(cell.expected);
        });
      }
    });
  }

  it("left the fixture world untouched (every cell rolled back)", async () => {
    expect(await snapshot(db)).toEqual(before);
  });
});
