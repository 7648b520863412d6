import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { RouteSimulator } from "@/components/routing/route-simulator";
import { RulesTable } from "@/components/routing/rules-table";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadRoutingPage } from "@/lib/db/routing";
import { getNavItem } from "@/lib/auth/navigation";

const item = getNavItem("/routing");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function RoutingPage() {
  const user = await requireSessionUser();
  // The environment is reduced to "key set or not" per provider in the loader; no key reaches the page.
  const data = await loadRoutingPage(await getDb(), user.claims, process.env);
  // Only decides which controls to show; the database's policies decide what a write may touch.
  const writableOrgIds = user.isPlatformAdmin
    ? null
    : user.memberships.filter((m) => m.role === "admin" && m.organizationId !== null).map((m) => m.organizationId as string);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} />
      <RulesTable data={data} writableOrgIds={writableOrgIds} />
      {data.apps.length > 0 && <RouteSimulator data={data} />}
    </div>
  );
}
