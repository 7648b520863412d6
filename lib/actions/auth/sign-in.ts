"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv, getMode } from "@/lib/env";
import { clientAddress, requestIsHttps } from "@/lib/auth/client-address";
import { loginThrottle } from "@/lib/auth/login-throttle-store";
import { createSessionToken, verifyPassword } from "@/lib/auth/local-session";
import { SESSION_COOKIE } from "@/lib/auth/local-session-cookie";
import { createSupabaseServerClient } from "@/lib/auth/supabase";
import { safeNextPath, signInSchema } from "@/lib/schemas/auth";

export type SignInState = { error?: string; email?: string };

const INVALID = "Invalid email or password.";

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    next: formData.get("next") ?? undefined,
  });
  const typedEmail = typeof formData.get("email") === "string" ? String(formData.get("email")) : "";
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? INVALID, email: typedEmail };
  const { email, password, next } = parsed.data;

  const h = await headers();
  const hops = getEnv().TRUSTED_PROXY;
  const address = clientAddress(h, hops);
  const throttle = loginThrottle();
  if (await throttle.isThrottled(address, email)) return { error: "Too many failed attempts. Try again in 15 minutes.", email };

  if (getMode() === "supabase") {
    const supabase = await createSupabaseServerClient();
    const { error } = await supabase.auth.signInWithPassword({ email, password });
    if (error) {
      await throttle.recordFailure(address, email);
      return { error: INVALID, email };
    }
  } else {
    const user = await verifyPassword(email, password);
    if (!user) {
      await throttle.recordFailure(address, email);
      return { error: INVALID, email };
    }
    const { token, expiresAt } = await createSessionToken(user);
    // Secure only when a trusted proxy says the client used HTTPS, never on the client's word.
    const secure = requestIsHttps(h, hops);
    (await cookies()).set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      expires: expiresAt,
    });
  }
  await throttle.recordSuccess(address, email);
  redirect(safeNextPath(next));
}
