import type { z } from "zod";

/** zod issues keyed by field, the shape the action wrapper returns, so forms show both alike. */
export function issuesToFieldErrors(issues: z.core.$ZodIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return out;
}
