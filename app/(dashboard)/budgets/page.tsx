import type { Metadata } from "next";
import { BudgetsView } from "@/components/budgets/budgets-view";
import { AccessDenied } from "@/components/dashboard/access-denied";
import { PageHeader } from "@/components/dashboard/page-header";
import { requireSessionUser } from "@/lib/auth/session";
import { loadBudgets } from "@/lib/db/budgets";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";

const item = getNavItem("/budgets");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function BudgetsPage() {
  const user = await requireSessionUser();
  if (!item.visibleTo(user)) return <AccessDenied area={item.title} allowed="administrators and finance" />;
  const data = await loadBudgets(await getDb(), user.claims);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} />
      {/* The edit button is a convenience; RLS on organizations refuses anyone but platform admins. */}
      <BudgetsView data={data} canEdit={user.isPlatformAdmin} />
    </div>
  );
}
