import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { AccessDenied } from "@/components/dashboard/access-denied";
import { PageHeader } from "@/components/dashboard/page-header";
import { KeysetPagination } from "@/components/ui/pagination";
import { requireSessionUser } from "@/lib/auth/session";
import { AUDITED_TABLES, loadAudit } from "@/lib/db/audit";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { cn } from "@/lib/utils";

const item = getNavItem("/audit");

export const metadata: Metadata = { title: item.title };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  if (!item.visibleTo(user)) return <AccessDenied area={item.title} allowed="administrators" />;
  const params = await searchParams;
  const table = typeof params.table === "string" && (AUDITED_TABLES as readonly string[]).includes(params.table) ? params.table : undefined;
  const beforeRaw = typeof params.before === "string" ? Number(params.before) : NaN;
  const before = Number.isInteger(beforeRaw) && beforeRaw > 0 ? beforeRaw : undefined;
  const { entries, nextBefore } = await loadAudit(await getDb(), user.claims, { table, before });
  const href = (t?: string, b?: number) => {
    const q = new URLSearchParams();
    if (t) q.set("table", t);
    if (b) q.set("before", String(b));
    const s = q.toString();
    return s ? `/audit?${s}` : "/audit";
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit"
        description="Every configuration change, written by database triggers with the identity of whoever made it (the dashboard user, or the gateway and jobs as “service”). Key hashes are never recorded."
      />
      <nav aria-label="Filter by table" className="flex flex-wrap gap-2">
        {[undefined, ...AUDITED_TABLES].map((t) => (
          <Link
            key={t ?? "all"}
            href={href(t)}
            aria-current={t === table ? "page" : undefined}
            className={cn("rounded-md border px-2.5 py-1 font-mono text-xs", t === table ? "bg-primary text-primary-foreground" : "hover:bg-accent")}
          >
            {t ?? "all tables"}
          </Link>
        ))}
      </nav>
      <AuditTable entries={entries} />
      <KeysetPagination firstHref={before ? href(table) : null} nextHref={nextBefore ? href(table, nextBefore) : null} />
    </div>
  );
}
