import { Skeleton } from "@/components/ui/skeleton";

export default function MembersLoading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label="Loading members">
      <Skeleton className="h-12 w-2/3" />
      <Skeleton className="h-8 w-1/2" />
      <Skeleton className="h-96 w-full" />
    </div>
  );
}
