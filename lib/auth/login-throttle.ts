/**
 * Slows password guessing without handing anyone a way to lock someone else out.
 *
 * Failed sign-ins are counted per (client address, account) and per client address, in a
 * sliding window: 10 failures on one account from one address, or 50 on any accounts from one
 * address, block that address for the rest of the window. There is deliberately no limit per
 * account alone: ten wrong guesses from an attacker's address would otherwise lock the owner out
 * of their own account. Guessing one account from many addresses is bounded by bcrypt's cost.
 * The address comes from lib/auth/client-address.ts (the socket unless TRUSTED_PROXY is set).
 *
 * Memory is bounded: at most `maxEntries` keys, least recently failed evicted first (which are
 * also the first to expire), and expired keys are dropped as new failures arrive. This class
 * counts per process: the sign-in action uses SharedLoginThrottle (login-throttle-store.ts), which
 * counts in the database for every instance and falls back to this one when it does not answer.
 */
export interface ThrottleLimits {
  windowMs: number;
  perAddressAndAccount: number;
  perAddress: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60 * 1000,
  perAddressAndAccount: 10,
  perAddress: 50,
  maxEntries: 20_000,
};

export class LoginThrottle {
  // Insertion order = order of the latest failure: the first key is the least recently failed.
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_LIMITS) {}

  private keys(address: string, account: string): [string, number][] {
    return [
      [`pair\n${address}\n${account}`, this.limits.perAddressAndAccount],
      [`address\n${address}`, this.limits.perAddress],
    ];
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }

  isThrottled(address: string, account: string, now = Date.now()): boolean {
    return this.keys(address, account).some(([key, limit]) => this.recent(key, now).length >= limit);
  }

  recordFailure(address: string, account: string, now = Date.now()): void {
    for (const [key, limit] of this.keys(address, account)) {
      const times = [...this.recent(key, now), now].slice(-limit);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    this.prune(now);
  }

  /** A successful sign-in clears that address's count for that account (not the address's total). */
  recordSuccess(address: string, account: string): void {
    this.failures.delete(this.keys(address, account)[0]![0]);
  }

  size(): number {
    return this.failures.size;
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      const expired = now - (times[times.length - 1] ?? 0) >= this.limits.windowMs;
      if (!expired && this.failures.size <= this.limits.maxEntries) break;
      this.failures.delete(key);
    }
  }
}

