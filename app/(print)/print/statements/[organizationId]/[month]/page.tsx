import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { StatementPrint } from "@/components/statements/statement-print";
import { getNavItem } from "@/lib/auth/navigation";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadStatementFor } from "@/lib/db/statements";
import { isMonth } from "@/lib/engine/statement-period";
import { guidSchema } from "@/lib/schemas/statement";

export const metadata: Metadata = { title: "Statement (print)", description: "A statement ready to print or save as PDF (A4)." };

/** /print/statements/<organizationId>/<yyyy-mm>: the same access rules as the statement page. */
export default async function StatementPrintPage({ params }: { params: Promise<{ organizationId: string; month: string }> }) {
  const { organizationId, month } = await params;
  const user = await requireSessionUser();
  if (!getNavItem("/statements").visibleTo(user)) forbidden();
  if (!guidSchema.safeParse(organizationId).success || !isMonth(month)) notFound();
  const data = await loadStatementFor(await getDb(), user.claims, organizationId, month);
  if (!data) {
    if (user.isPlatformAdmin) notFound();
    forbidden();
  }
  return <StatementPrint data={data} />;
}
