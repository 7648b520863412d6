import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { StatementsList } from "@/components/statements/statements-list";
import { getNavItem } from "@/lib/auth/navigation";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import type { SessionUser } from "@/lib/db/sessions";
import { loadStatementsPage } from "@/lib/db/statements";
import { StatementsSkeleton } from "./skeleton";

const item = getNavItem("/statements");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function StatementsPage() {
  const user = await requireSessionUser();
  // Decided before anything streams, so a denied user gets HTTP 403 (app/(scoped)/layout.tsx).
  if (!item.visibleTo(user)) forbidden();
  return (
    <Suspense fallback={<StatementsSkeleton />}>
      <StatementsContent user={user} />
    </Suspense>
  );
}

async function StatementsContent({ user }: { user: SessionUser }) {
  const organizations = await loadStatementsPage(await getDb(), user.claims);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={item.title} description={item.description} />
      <StatementsList organizations={organizations} />
    </div>
  );
}
