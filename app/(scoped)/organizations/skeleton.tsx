import { Skeleton } from "@/components/ui/skeleton";

/** The Organizations page while it loads (shown inside the page, after the access check). */
export function OrganizationsSkeleton() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label="Loading organizations and apps">
      <Skeleton className="h-12 w-2/3" />
      <Skeleton className="h-64 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
