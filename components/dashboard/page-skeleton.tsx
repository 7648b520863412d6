import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";

interface PageSkeletonProps {
  /** The range and organization filter bar of the analytics pages. */
  filters?: boolean;
  /** How many stat cards sit under the header (0 = none). */
  stats?: 0 | 3 | 4;
  /** The page's own blocks (charts, tables). */
  children?: ReactNode;
}

/** The loading state every dashboard page starts from: heading, optional filters and stat cards. */
export function PageSkeleton({ filters = false, stats = 0, children }: PageSkeletonProps) {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <span className="sr-only" role="status">
        Loading…
      </span>
      <div className="space-y-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      {filters && (
        <div className="flex flex-wrap gap-3">
          <Skeleton className="h-9 w-40" />
          <Skeleton className="h-9 w-40" />
          <Skeleton className="h-9 w-52" />
        </div>
      )}
      {stats > 0 && (
        <div className={stats === 4 ? "grid gap-4 sm:grid-cols-2 xl:grid-cols-4" : "grid gap-4 sm:grid-cols-3"}>
          {Array.from({ length: stats }, (_, i) => (
            <Skeleton key={i} className="h-28 rounded-xl" />
          ))}
        </div>
      )}
      {children}
    </div>
  );
}

/** Two blocks side by side from `breakpoint` up. */
export function SkeletonPair({ className, breakpoint = "xl" }: { className: string; breakpoint?: "lg" | "xl" | "2xl" }) {
  const cols = { lg: "lg:grid-cols-2", xl: "xl:grid-cols-2", "2xl": "2xl:grid-cols-2" }[breakpoint];
  return (
    <div className={`grid gap-4 ${cols}`}>
      <Skeleton className={`${className} rounded-xl`} />
      <Skeleton className={`${className} rounded-xl`} />
    </div>
  );
}
