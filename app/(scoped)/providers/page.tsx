import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { ProviderFormDialog } from "@/components/providers/provider-form-dialog";
import { ProvidersTable } from "@/components/providers/providers-table";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { runtime } from "@/lib/gateway/runtime";
import { getDb } from "@/lib/db/instance";
import { loadProviders } from "@/lib/db/providers";
import { getNavItem } from "@/lib/auth/navigation";
import { ProvidersSkeleton } from "./skeleton";

const item = getNavItem("/providers");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function ProvidersPage() {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<ProvidersSkeleton />}>
      <ProvidersContent user={user} />
    </Suspense>
  );
}

async function ProvidersContent({ user }: { user: SessionUser }) {
  // The loader turns the environment into present/missing per provider; no key value reaches the page.
  const providers = await loadProviders(await getDb(), user.claims, {
    env: process.env,
    circuits: runtime().circuits.snapshot(),
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} actions={<ProviderFormDialog />} />
      <Card>
        <CardHeader>
          <CardTitle>Providers</CardTitle>
          <CardDescription>
            “Key” says whether the named variable is set in this server&apos;s environment; the key itself is never shown or sent.
            Variable names must end in <span className="font-mono">_API_KEY</span> (the database checks it too), so a provider cannot be
            pointed at <span className="font-mono">DATABASE_URL</span> or another secret. The circuit state is this server instance&apos;s:
            each instance keeps its own breakers, which open after repeated failures and let a trial call through after a cool-down.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {providers.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No providers configured.</p>
          ) : (
            <ProvidersTable providers={providers} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
