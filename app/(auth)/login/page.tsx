import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Brand } from "@/components/brand";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/session";
import { safeNextPath } from "@/lib/schemas/auth";

export const metadata: Metadata = { title: "Sign in" };

interface LoginPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const [user, params] = await Promise.all([getSessionUser(), searchParams]);
  if (user) redirect("/");
  // Only a same-origin path is carried through the form; the action validates it again.
  const next = typeof params.next === "string" ? safeNextPath(params.next) : "/";

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader className="gap-3">
          <Brand className="text-base" />
          <div className="space-y-1.5">
            <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
            <CardDescription>Use your work email and password to open the dashboards.</CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <LoginForm next={next} />
        </CardContent>
      </Card>
      <p className="text-center text-sm text-muted-foreground">Demo logins are listed in the README.</p>
    </div>
  );
}
