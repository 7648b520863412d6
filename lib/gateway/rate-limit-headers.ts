import type { RateStatus } from "./rate-limit";

/**
 * OpenAI's rate-limit headers, which its SDKs and many clients read: the key's requests-per-minute
 * limit, what is left of it in the sliding window (fleet-wide, as this instance last learnt it),
 * and when it resets, in OpenAI's duration format ("6m0s", "1s", "120ms"). On a 429 the reset is
 * the time until a request is admitted again (what Retry-After rounds up to whole seconds); on an
 * admitted request, the time until the window is empty.
 */
export function rateLimitHeaders(s: RateStatus): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": String(s.limit),
    "x-ratelimit-remaining-requests": String(Math.max(0, s.remaining)),
    "x-ratelimit-reset-requests": openAIDuration(s.resetMs),
  };
}

/** Milliseconds as OpenAI writes durations: "120ms" below a second, else "1h2m3.5s" / "6m0s" / "1.25s". */
export function openAIDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}
