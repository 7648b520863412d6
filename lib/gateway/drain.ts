/**
 * Whether this instance is draining (shutting down), and the gateway requests still in flight.
 * Kept on globalThis: `npm start` runs two bundles (server.ts's and Next's) that must see the same
 * flag, e.g. /api/llm/health (a Next route) reports what server.ts's shutdown set. A readiness
 * check can use isDraining() to take the instance out of a load balancer.
 */
interface DrainState {
  draining: boolean;
  inFlight: Set<Promise<unknown>>;
  idleWaiters: (() => void)[];
}

const holder = globalThis as { __llmcpDrain?: DrainState };
const state: DrainState = (holder.__llmcpDrain ??= { draining: false, inFlight: new Set(), idleWaiters: [] });

export function isDraining(): boolean {
  return state.draining;
}

export function startDraining(): void {
  state.draining = true;
}

/** Tests only: back to serving. */
export function stopDraining(): void {
  state.draining = false;
}

/** Counts a request until its promise settles (the response sent, or given up on). */
export function track(done: Promise<unknown>): void {
  state.inFlight.add(done);
  void done.finally(() => {
    state.inFlight.delete(done);
    if (state.inFlight.size === 0) for (const wake of state.idleWaiters.splice(0)) wake();
  });
}

export function inFlight(): number {
  return state.inFlight.size;
}

/** Resolves when no tracked request is in flight. */
export function whenIdle(): Promise<void> {
  if (state.inFlight.size === 0) return Promise.resolve();
  return new Promise((resolve) => state.idleWaiters.push(resolve));
}
