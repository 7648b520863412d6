import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { BudgetsView } from "@/components/budgets/budgets-view";
import { PageHeader } from "@/components/dashboard/page-header";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { loadBudgets } from "@/lib/db/budgets";
import { loadScopedBudgetsAs } from "@/lib/db/budget-scopes";
import { ScopedBudgetsTable } from "@/components/budgets/scoped-budgets-table";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { BudgetsSkeleton } from "./skeleton";

const item = getNavItem("/budgets");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function BudgetsPage() {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<BudgetsSkeleton />}>
      <BudgetsContent user={user} />
    </Suspense>
  );
}

async function BudgetsContent({ user }: { user: SessionUser }) {
  const db = await getDb();
  // One after the other: PGlite serves one session at a time.
  const data = await loadBudgets(db, user.claims);
  const scoped = await loadScopedBudgetsAs(db, user.claims);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} />
      {/* The edit button is a convenience; RLS on organizations refuses anyone but platform admins. */}
      <BudgetsView data={data} canEdit={user.isPlatformAdmin} forecasts={scoped.forecasts} />
      <ScopedBudgetsTable data={scoped} canEdit={user.isPlatformAdmin} />
    </div>
  );
}
