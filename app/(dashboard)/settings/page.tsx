import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { SettingsAttention } from "@/components/settings/settings-attention";
import { SettingsContextPicker } from "@/components/settings/settings-context-picker";
import { SettingsTable } from "@/components/settings/settings-table";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadSettingsPage } from "@/lib/db/settings";
import { getNavItem } from "@/lib/auth/navigation";

const item = getNavItem("/settings");

export const metadata: Metadata = { title: item.title, description: item.description };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idParam = (v: string | string[] | undefined) => (typeof v === "string" && UUID.test(v) ? v : null);

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  const params = await searchParams;
  const ctx = { appId: idParam(params.app), organizationId: idParam(params.org) };
  const data = await loadSettingsPage(await getDb(), user.claims, ctx);
  // Which controls to show only; the database's policies decide what a write may touch.
  const writableOrgIds = user.isPlatformAdmin
    ? null
    : user.memberships.filter((m) => m.role === "admin" && m.organizationId !== null).map((m) => m.organizationId as string);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} actions={<SettingsContextPicker data={data} appId={ctx.appId} organizationId={ctx.organizationId} />} />
      <SettingsAttention items={data.needsAttention} />
      <SettingsTable data={data} writableOrgIds={writableOrgIds} />
    </div>
  );
}
