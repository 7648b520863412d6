import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  password: z.string().min(1, "Enter your password").max(200),
  next: z.string().optional(),
});

export type SignInInput = z.infer<typeof signInSchema>;

// Any origin works: a same-origin path resolves onto it, anything else does not.
const BASE = "http://llmcp.invalid";
// C0 controls, DEL and backslash: browsers strip tabs/newlines and read "\\" as "/" in URLs,
// so "/\t/evil.example" or "/\\evil.example" becomes "//evil.example", another host.
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

function decodedOnce(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * The path to go to after sign-in, or "/" unless `next` is a same-origin path: "/costs?x=1" yes;
 * "//evil.example", "/\\evil.example", "/\t/evil.example", "https://…", "javascript:…" and the
 * same with their characters percent-encoded, no. Parsed with URL and compared by origin, so no
 * prefix trick has to be foreseen; /login itself is refused (no loop).
 */
export function safeNextPath(next: string | undefined | null): string {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  const decoded = decodedOnce(next);
  if (decoded === null || UNSAFE.test(next) || UNSAFE.test(decoded) || decoded.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return "/";
  if (url.pathname === "/login" || url.pathname.startsWith("/login/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
