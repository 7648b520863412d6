/**
 * Slows password guessing: at most MAX_FAILURES failed sign-ins per email and per client
 * address in a sliding window. Per process (a shared limiter arrives with the gateway's rate
 * limits); the bcrypt cost already bounds guesses per core.
 */
const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 10;
const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (list.length) failures.set(key, list);
  else failures.delete(key);
  return list;
}

export function isThrottled(keys: string[], now = Date.now()): boolean {
  return keys.some((k) => recent(k, now).length >= MAX_FAILURES);
}

export function recordFailure(keys: string[], now = Date.now()): void {
  for (const k of keys) failures.set(k, [...recent(k, now), now]);
}

export function clearFailures(keys: string[]): void {
  for (const k of keys) failures.delete(k);
}
