import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { AppFormDialog } from "@/components/organizations/app-form-dialog";
import { OrganizationFormDialog } from "@/components/organizations/organization-form-dialog";
import { AppsTable, OrganizationsTable } from "@/components/organizations/organizations-tables";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { getDb } from "@/lib/db/instance";
import { loadOrganizationsPage } from "@/lib/db/organizations";
import { getNavItem } from "@/lib/auth/navigation";
import { OrganizationsSkeleton } from "./skeleton";

const item = getNavItem("/organizations");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function OrganizationsPage() {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<OrganizationsSkeleton />}>
      <OrganizationsContent user={user} />
    </Suspense>
  );
}

async function OrganizationsContent({ user }: { user: SessionUser }) {
  const data = await loadOrganizationsPage(await getDb(), user.claims, process.env);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} />
      <Card>
        <CardHeader className="flex flex-row items-start justify-between gap-4">
          <div className="grid gap-1.5">
            <CardTitle>Organizations</CardTitle>
            <CardDescription>
              Client companies. Each call is attributed to one (by the key it is pinned to, or the call&apos;s organization field), and every
              dashboard, budget and routing override is per organization. Organizations are not deleted here: their calls are accounting records.
            </CardDescription>
          </div>
          <OrganizationFormDialog />
        </CardHeader>
        <CardContent>
          {data.organizations.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No organizations yet: add your first client.</p>
          ) : (
            <OrganizationsTable organizations={data.organizations} />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="flex flex-row items-start justify-between gap-4">
          <div className="grid gap-1.5">
            <CardTitle>Apps</CardTitle>
            <CardDescription>
              Applications that call the gateway. The baseline model prices every call&apos;s shadow cost for the savings report; the legacy
              model answers while the app&apos;s <span className="font-mono">routing.enabled</span> setting is off.
            </CardDescription>
          </div>
          <AppFormDialog models={data.models} />
        </CardHeader>
        <CardContent>
          {data.apps.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No apps yet: add one, then give it routing rules and a key.</p>
          ) : (
            <AppsTable apps={data.apps} models={data.models} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
