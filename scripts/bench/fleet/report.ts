/** The table `bench:fleet` prints: pass (direct or through PgBouncer), item, what, goal, figure, verdict. */
import { printColumns, type Row } from "../faults/harness";

export type FleetRow = Row & { via: string; skipped?: boolean };

export function printRows(rows: FleetRow[]): void {
  const cols = [
    { h: "via", w: 9, get: (r: FleetRow) => r.via },
    { h: "item", w: 4, get: (r: FleetRow) => String(r.item) },
    { h: "measured what", w: 46, get: (r: FleetRow) => r.what },
    { h: "goal", w: 26, get: (r: FleetRow) => r.goal },
    { h: "measured", w: 56, get: (r: FleetRow) => r.measured },
    { h: "", w: 4, get: (r: FleetRow) => (r.skipped ? "SKIP" : r.pass ? "PASS" : "FAIL") },
  ];
  printColumns(cols, rows);
}
