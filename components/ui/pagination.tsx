import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

interface KeysetPaginationProps {
  /** Link to the first page (keyset pagination cannot jump back one page cheaply). */
  firstHref: string | null;
  nextHref: string | null;
}

/** Forward-only pager for keyset-paginated lists. */
export function KeysetPagination({ firstHref, nextHref }: KeysetPaginationProps) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
      {firstHref ? (
        <Button asChild variant="outline" size="sm">
          <Link href={firstHref}>
            <ChevronLeft aria-hidden /> First page
          </Link>
        </Button>
      ) : null}
      {nextHref ? (
        <Button asChild variant="outline" size="sm">
          <Link href={nextHref}>
            Next page <ChevronRight aria-hidden />
          </Link>
        </Button>
      ) : (
        <span className="text-sm text-muted-foreground">End of the list</span>
      )}
    </nav>
  );
}
