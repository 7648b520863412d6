import { openDatabase } from "@/lib/db/client";
import { createRecorder } from "@/lib/gateway/recorder/recorder";
import { installShutdownHooks } from "@/lib/gateway/recorder/shutdown";
import { records } from "./records";

/**
 * A gateway process in miniature for recorder-outage.test.ts, so crashes and signals are real:
 *   child.ts crash   <spoolDir> <count> <run>        database down: spool, then SIGKILL itself
 *   child.ts sigterm <spoolDir> <count> <run> [url]  records buffered (no timer flush); waits for SIGTERM
 *   child.ts hang    <spoolDir> <count> <run>        like sigterm, but the database never answers
 *   child.ts exit    <spoolDir> <count> <run>        records buffered, then process.exit(0) at once
 *   child.ts journal <spoolDir> <count> <run> [url]  records buffered (no timer flush, no hooks); waits for SIGKILL
 * Without a url the database is unreachable, so whatever survives must be in the spool.
 */
const [mode, spoolDir, countArg, runArg, url] = process.argv.slice(2);
const refused = async (): Promise<never> => {
  throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
};
const never = () => new Promise<never>(() => undefined);
const db = url ? await openDatabase({ url, mode: "server", poolMax: 2 }) : undefined;
const recorder = createRecorder({
  getDb: db ? async () => db.kysely : mode === "hang" ? never : refused,
  spoolDir: spoolDir!,
  flushIntervalMs: mode === "crash" ? 10 : 600_000,
  writeTimeoutMs: 600_000,
  maxBatch: 1_000,
  log: () => undefined,
});
if (mode === "hang") await recorder.replay(); // let the start-up replay finish before getDb hangs
for (const record of records(Number(runArg), Number(countArg))) recorder.record(record);

if (mode === "journal") {
  setInterval(() => undefined, 60_000);
  process.stdout.write(`ready ${recorder.stats().pending}\n`);
} else if (mode === "crash") {
  await recorder.flush();
  process.kill(process.pid, "SIGKILL");
} else {
  installShutdownHooks(recorder, { timeoutMs: mode === "hang" ? 500 : 5_000, log: () => undefined });
  if (mode === "exit") process.exit(0);
  // Stay alive like a server until the signal arrives.
  setInterval(() => undefined, 60_000);
  process.stdout.write(`ready ${recorder.stats().pending}\n`);
}
