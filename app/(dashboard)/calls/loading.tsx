import { PageSkeleton } from "@/components/dashboard/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** Calls loading: the filter form, the total line and the table's outline. */
export default function Loading() {
  return (
    <PageSkeleton>
      <Skeleton className="h-48 rounded-lg" />
      <Skeleton className="h-12 rounded-lg" />
      <Skeleton className="h-96 rounded-lg" />
    </PageSkeleton>
  );
}
