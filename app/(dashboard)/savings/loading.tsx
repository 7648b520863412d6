import { RangePageSkeleton } from "@/components/costs/range-page-skeleton";

export default function Loading() {
  return <RangePageSkeleton />;
}
