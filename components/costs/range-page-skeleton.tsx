import { PageSkeleton, SkeletonPair } from "@/components/dashboard/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** Loading state of the Costs, Savings and Completeness pages: filters, figures, chart, tables. */
export function RangePageSkeleton() {
  return (
    <PageSkeleton filters stats={3}>
      <Skeleton className="h-80 rounded-xl" />
      <SkeletonPair className="h-64" />
    </PageSkeleton>
  );
}
