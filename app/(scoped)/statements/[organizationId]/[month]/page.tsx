import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { PageHeader } from "@/components/dashboard/page-header";
import { formatMonth } from "@/components/format";
import { StatementView } from "@/components/statements/statement-view";
import { getNavItem } from "@/lib/auth/navigation";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadStatementFor, priceableModels } from "@/lib/db/statements";
import { isMonth } from "@/lib/engine/statement-period";
import { guidSchema } from "@/lib/schemas/statement";

export const metadata: Metadata = { title: "Statement", description: "One client organization's statement for one month." };

/**
 * /statements/<organizationId>/<yyyy-mm>. Access first, outside any loading boundary (see
 * app/(scoped)/layout.tsx): a role without statements gets 403; RLS decides the organization, and
 * one the user may not read answers 403 (404 for a platform admin asking for an unknown id), so
 * nobody learns whether another client exists. The statement renders from the rollup in well
 * under a second, so it is read before the first byte is sent.
 */
export default async function StatementPage({ params }: { params: Promise<{ organizationId: string; month: string }> }) {
  const { organizationId, month } = await params;
  const user = await requireSessionUser();
  if (!getNavItem("/statements").visibleTo(user)) forbidden();
  if (!guidSchema.safeParse(organizationId).success || !isMonth(month)) notFound();
  const db = await getDb();
  const data = await loadStatementFor(db, user.claims, organizationId, month);
  if (!data) {
    if (user.isPlatformAdmin) notFound();
    forbidden();
  }
  const models = user.isPlatformAdmin ? await priceableModels(db, user.claims) : [];
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title={`Statement ${formatMonth(month)}`}
        description={
          <>
            {data.organization.name} ·{" "}
            <Link href="/statements" className="underline underline-offset-4">
              all statements
            </Link>
          </>
        }
      />
      <StatementView data={data} isPlatformAdmin={user.isPlatformAdmin} models={models} />
    </div>
  );
}
