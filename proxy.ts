import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/local-session-cookie";

/**
 * Runs before dashboard pages: refreshes the Supabase session cookie (Supabase mode) and sends
 * visitors without a session to /login. This is an optimistic check only; every page and
 * action verifies the session itself and every read runs under RLS.
 * It also gives the two gateway routes that only Next serves (health, openapi.json) the
 * x-request-id every response under /api/llm carries; the gateway's own routes set theirs.
 */
export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/llm/")) {
    const response = NextResponse.next();
    response.headers.set("x-request-id", crypto.randomUUID());
    return response;
  }
  const supabaseUrl = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const supabaseKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  let response = NextResponse.next({ request });
  let signedIn: boolean;

  if (process.env.DATABASE_URL && supabaseUrl && supabaseKey) {
    const supabase = createServerClient(supabaseUrl, supabaseKey, {
      cookies: {
        getAll: () => request.cookies.getAll(),
        setAll(cookiesToSet) {
          for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
          response = NextResponse.next({ request });
          for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, options);
        },
      },
    });
    const { data } = await supabase.auth.getClaims();
    signedIn = Boolean(data?.claims?.sub);
  } else {
    signedIn = Boolean(request.cookies.get(SESSION_COOKIE)?.value);
  }

  if (!signedIn) {
    const login = request.nextUrl.clone();
    login.pathname = "/login";
    login.search = "";
    const next = request.nextUrl.pathname + request.nextUrl.search;
    if (next !== "/") login.searchParams.set("next", next);
    return NextResponse.redirect(login);
  }
  return response;
}

export const config = {
  // Everything except the login page, the public API reference (/docs), API routes, Next's assets and public files; plus the two
  // gateway routes Next serves (x-request-id above).
  matcher: [
    "/((?!login|docs|api/|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt)$).*)",
    "/api/llm/health",
    "/api/llm/openapi.json",
  ],
};
