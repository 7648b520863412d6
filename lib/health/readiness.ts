import { getDb } from "@/lib/db/instance";
import { isDraining } from "@/lib/gateway/drain";
import { runtime } from "@/lib/gateway/runtime";

/**
 * Liveness and readiness, for load balancers and orchestrators (container HEALTHCHECK, Kubernetes
 * probes). Liveness is only "the process serves HTTP". Readiness is "this instance can serve and
 * account for calls": not while its startup (database open, migrations, seed) has failed or is
 * still running, not while it drains after SIGTERM, and not while the recorder refuses calls
 * (database down and spool/journal unusable; recorder.ts accepting()). A not-ready instance
 * answers 503 with the reason; nothing here names a key, an organization or a connection string.
 */

export type StartupState = { state: "ok" } | { state: "pending" } | { state: "failed"; error: string };

export type NotReadyReason = "startup_failed" | "starting" | "draining" | "cannot_record";

export interface Readiness {
  status: "ready" | "not_ready";
  /** The first reason that applies, in the order below; absent when ready. */
  reason?: NotReadyReason;
  message?: string;
  checks: {
    startup: StartupState["state"];
    startup_error?: string;
    draining: boolean;
    recorder: { accepting: boolean; refusal: string | null };
  };
}

export interface ReadinessInput {
  startup: StartupState;
  draining: boolean;
  accepting: boolean;
  refusal: string | null;
}

const MESSAGES: Record<NotReadyReason, string> = {
  startup_failed: "startup failed (database, migrations or seed); retried on the next probe",
  starting: "starting up (opening and migrating the database)",
  draining: "draining: shutting down after SIGTERM",
  cannot_record: "cannot account for calls",
};

/** Pure: the readiness verdict from the instance's state (unit-tested). */
export function evaluateReadiness(input: ReadinessInput): Readiness {
  const checks: Readiness["checks"] = {
    startup: input.startup.state,
    ...(input.startup.state === "failed" ? { startup_error: input.startup.error } : {}),
    draining: input.draining,
    recorder: { accepting: input.accepting, refusal: input.refusal },
  };
  let reason: NotReadyReason | undefined;
  if (input.startup.state === "failed") reason = "startup_failed";
  else if (input.startup.state === "pending") reason = "starting";
  else if (input.draining) reason = "draining";
  else if (!input.accepting) reason = "cannot_record";
  if (!reason) return { status: "ready", checks };
  const message = reason === "cannot_record" && input.refusal ? `${MESSAGES.cannot_record}: ${input.refusal}` : MESSAGES[reason];
  return { status: "not_ready", reason, message, checks };
}

/** Only the error's code or class: connection errors can carry the URL and its password. */
function errorClass(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
  return err instanceof Error && /^[A-Za-z]{1,40}$/.test(err.name) ? err.name : "error";
}

/**
 * The startup's state: getDb() opens, migrates and seeds once per process (a failure is retried on
 * the next call, so a probe also retries a failed startup). Waits at most `waitMs`.
 */
export async function startupState(open: () => Promise<unknown> = getDb, waitMs = 2_000): Promise<StartupState> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<StartupState>((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), waitMs);
  });
  const opened = open().then(
    (): StartupState => ({ state: "ok" }),
    (err: unknown): StartupState => ({ state: "failed", error: errorClass(err) }),
  );
  try {
    return await Promise.race([opened, pending]);
  } finally {
    clearTimeout(timer);
  }
}

export async function getReadiness(): Promise<Readiness> {
  const startup = await startupState();
  const stats = runtime().recorder.stats();
  return evaluateReadiness({ startup, draining: isDraining(), accepting: stats.accepting, refusal: stats.refusal });
}

export function readinessStatus(r: Readiness): 200 | 503 {
  return r.status === "ready" ? 200 : 503;
}
