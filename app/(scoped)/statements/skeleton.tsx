import { PageSkeleton } from "@/components/dashboard/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The Statements page while it loads (shown inside the page, after the access check). */
export function StatementsSkeleton() {
  return (
    <PageSkeleton>
      <Skeleton className="h-64 rounded-xl" />
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
