import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { CreateKeyDialog } from "@/components/keys/create-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { loadKeysPage } from "@/lib/db/api-keys";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { KeysSkeleton } from "./skeleton";

const item = getNavItem("/keys");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function ApiKeysPage() {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<KeysSkeleton />}>
      <ApiKeysContent user={user} />
    </Suspense>
  );
}

async function ApiKeysContent({ user }: { user: SessionUser }) {
  const data = await loadKeysPage(await getDb(), user.claims);
  // Which organizations the form offers; RLS still decides what an insert may pin.
  const adminOrgIds = new Set(user.memberships.filter((m) => m.role === "admin" && m.organizationId).map((m) => m.organizationId));
  const organizations = user.isPlatformAdmin ? data.organizations : data.organizations.filter((o) => adminOrgIds.has(o.id));
  const active = data.keys.filter((k) => !k.revokedAt).length;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description={item.description}
        actions={data.apps.length > 0 && <CreateKeyDialog apps={data.apps} organizations={organizations} isPlatformAdmin={user.isPlatformAdmin} defaults={data.defaults} />}
      />
      <Card>
        <CardHeader>
          <CardTitle>Keys</CardTitle>
          <CardDescription>
            {active} active, {data.keys.length - active} revoked.{" "}
            {user.isPlatformAdmin ? "You see every app's keys." : "You see the keys pinned to the organizations you administer."} Only the first
            12 characters of a key are kept in the clear.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {data.keys.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No keys yet: create one to let an app call the gateway.</p>
          ) : (
            <KeysTable keys={data.keys} isPlatformAdmin={user.isPlatformAdmin} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
