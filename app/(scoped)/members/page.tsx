import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { AddMemberDialog } from "@/components/members/add-member-dialog";
import { CreateUserDialog } from "@/components/members/create-user-dialog";
import { MemberFilterNav } from "@/components/members/member-filter-nav";
import { MembersTable } from "@/components/members/members-table";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { getDb } from "@/lib/db/instance";
import { loadMembersPage } from "@/lib/db/members";
import { getMode } from "@/lib/env";
import { getNavItem } from "@/lib/auth/navigation";
import { MembersSkeleton } from "./skeleton";
import { memberFilterSchema } from "@/lib/schemas/membership";

const item = getNavItem("/members");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<MembersSkeleton />}>
      <MembersContent user={user} searchParams={searchParams} />
    </Suspense>
  );
}

async function MembersContent({ user, searchParams }: { user: SessionUser; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filter = memberFilterSchema.parse((await searchParams).org);
  const data = await loadMembersPage(await getDb(), user.claims, filter);
  // Which organizations the form and filter offer; RLS still decides what an insert may do.
  const adminOrgIds = new Set(user.memberships.filter((m) => m.role === "admin" && m.organizationId).map((m) => m.organizationId));
  const organizations = user.isPlatformAdmin ? data.organizations : data.organizations.filter((o) => adminOrgIds.has(o.id));
  const localAuth = getMode() !== "supabase";
  const filterName = filter === "platform" ? "platform-wide" : organizations.find((o) => o.id === filter)?.name;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description={item.description}
        actions={
          <>
            {user.isPlatformAdmin && localAuth && <CreateUserDialog />}
            {organizations.length > 0 || user.isPlatformAdmin ? (
              <AddMemberDialog organizations={organizations} isPlatformAdmin={user.isPlatformAdmin} defaultOrganizationId={filter && filter !== "platform" ? filter : undefined} />
            ) : null}
          </>
        }
      />
      {user.isPlatformAdmin && !localAuth && (
        <Alert>
          <AlertTitle>Users sign up through Supabase Auth</AlertTitle>
          <AlertDescription>
            Accounts are created in Supabase Auth (sign-up, invitation or the Supabase dashboard), not here. Once someone has signed in once, add them to an
            organization by email.
          </AlertDescription>
        </Alert>
      )}
      <MemberFilterNav organizations={organizations} showPlatform={user.isPlatformAdmin} current={filter} />
      <Card>
        <CardHeader>
          <CardTitle>{filterName ? `Members: ${filterName}` : "All members"}</CardTitle>
          <CardDescription>
            {data.members.length} membership{data.members.length === 1 ? "" : "s"}.{" "}
            {user.isPlatformAdmin
              ? "You see every organization's members and the platform-wide roles."
              : "You see the members of the organizations you administer, and your own memberships."}{" "}
            The last platform admin, and your own last admin role, cannot be removed or demoted.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {data.members.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">
              {filter ? "No members here yet: add someone by email." : "No memberships you can see yet: add someone by email."}
            </p>
          ) : (
            <MembersTable members={data.members} currentUserId={user.id} isPlatformAdmin={user.isPlatformAdmin} adminOrganizationIds={[...adminOrgIds].filter((id): id is string => id !== null)} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
