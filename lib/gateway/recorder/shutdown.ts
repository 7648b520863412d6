import { errorMessage } from "@/lib/errors";
import type { Recorder } from "./types";

export interface ShutdownOptions {
  /** close() gets this long; after it, what is still in memory is spooled synchronously. */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  log?: (message: string) => void;
}

/**
 * SIGTERM / SIGINT flush the recorder, then let the signal do what it would have done.
 *
 * - If we are the only listener, adding one disabled Node's default "terminate"; after close()
 *   (or the timeout) we remove ourselves and re-raise the signal, so the process still dies by it.
 * - If others listen too (`next start` exits with 143 after closing its server), they own the
 *   exit. They may call process.exit() before close() finishes, so an `exit` hook writes whatever
 *   is still buffered to the spool synchronously: the last thing that runs before the process ends.
 *
 * Returns an uninstaller (tests).
 */
export function installShutdownHooks(recorder: Recorder, options: ShutdownOptions = {}): () => void {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const log = options.log ?? ((message: string) => console.log(`[recorder] ${message}`));
  let handling = false;

  const onExit = () => {
    const rescued = recorder.spoolSync();
    if (rescued > 0) log(`exit: ${rescued} record(s) written to the spool for replay`);
  };

  const removeSignalHandlers = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };

  function onSignal(signal: NodeJS.Signals): void {
    // A second Ctrl-C while flushing is ignored here; the timeout still bounds the wait.
    if (handling) return;
    handling = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      // Not unref'd: this timer is what keeps the process alive until the flush ends or gives up.
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const closed = recorder.close().then(
      () => "closed" as const,
      (err: unknown) => {
        log(`close failed on ${signal}: ${errorMessage(err)}`);
        return "failed" as const;
      },
    );
    void Promise.race([closed, timedOut]).then((outcome) => {
      clearTimeout(timer);
      if (outcome !== "closed") log(`${signal}: recorder did not close within ${timeoutMs} ms; spooling what is left`);
      onExit();
      // The exit hook stays: if another listener owns the exit, records may still arrive until then.
      removeSignalHandlers();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }

  for (const signal of signals) process.on(signal, onSignal);
  process.on("exit", onExit);
  return () => {
    removeSignalHandlers();
    process.removeListener("exit", onExit);
  };
}
