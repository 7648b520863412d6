import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { MembershipList } from "@/components/overview/membership-list";
import { LiveOverview } from "@/components/overview/live-overview";
import { OverviewStatsSkeleton } from "@/components/overview/overview-stats-skeleton";
import { requireSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/db/sessions";
import { getOverviewStats } from "@/lib/db/overview";

export const metadata: Metadata = { title: "Overview" };

async function OverviewStatsSection({ user }: { user: SessionUser }) {
  const stats = await getOverviewStats(user.claims);
  return <LiveOverview initial={stats} />;
}

export default async function OverviewPage() {
  const user = await requireSessionUser();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Overview"
        description="Spend, usage and quality across the organizations you can see, read from the gateway's records."
      />
      {/* Without a membership row-level security returns nothing, so there are no figures to load. */}
      {user.memberships.length > 0 && (
        <Suspense fallback={<OverviewStatsSkeleton />}>
          <OverviewStatsSection user={user} />
        </Suspense>
      )}
      <MembershipList memberships={user.memberships} />
    </div>
  );
}
