import fsp from "node:fs/promises";
import { inspect } from "node:util";
import type { DeadLetter } from "./spool";

/** Small file-system helpers for the spool. */

/** One dead-letter line: when, why, and the record (or the text that could not be parsed). */
export function deadLine(entry: DeadLetter): string {
  const at = new Date().toISOString();
  try {
    return `${JSON.stringify({ at, ...entry }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`;
  } catch {
    // A record that cannot be serialized (circular) is kept in its printed form.
    return `${JSON.stringify({ at, error: entry.error, raw: inspect(entry.record ?? entry.raw, { depth: 4 }) })}\n`;
  }
}

/** Whether a process exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** fsync of a directory, so a newly created file's entry survives a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported everywhere (Windows); the data itself is already fsync'd.
  }
}
