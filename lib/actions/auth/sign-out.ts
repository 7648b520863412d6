"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getMode } from "@/lib/env";
import { SESSION_COOKIE } from "@/lib/auth/local-session-cookie";
import { createSupabaseServerClient } from "@/lib/auth/supabase";

export async function signOutAction(): Promise<void> {
  if (getMode() === "supabase") {
    const supabase = await createSupabaseServerClient();
    await supabase.auth.signOut();
  }
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/login");
}
