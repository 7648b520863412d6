import { Skeleton } from "@/components/ui/skeleton";

/** The Members page while it loads (shown inside the page, after the access check). */
export function MembersSkeleton() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label="Loading members">
      <Skeleton className="h-12 w-2/3" />
      <Skeleton className="h-8 w-1/2" />
      <Skeleton className="h-96 w-full" />
    </div>
  );
}
