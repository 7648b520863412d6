import { PageSkeleton, SkeletonPair } from "@/components/dashboard/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** Loading state of the Feedback page: filters, figures, chart and status, tables. */
export function FeedbackSkeleton() {
  return (
    <PageSkeleton filters stats={3}>
      <SkeletonPair className="h-72" />
      <SkeletonPair className="h-64" breakpoint="2xl" />
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
