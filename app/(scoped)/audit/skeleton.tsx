import { PageSkeleton } from "@/components/dashboard/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The Audit page while its entries load (inside the page, after the access check): header, filter bar and a few entry cards. */
export function AuditSkeleton() {
  return (
    <PageSkeleton filters>
      <div className="flex flex-col gap-3">
        {[0, 1, 2].map((i) => <Skeleton key={i} className="h-32 rounded-lg" />)}
      </div>
    </PageSkeleton>
  );
}
