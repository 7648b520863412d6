import type { ReactNode } from "react";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/dashboard/page-header";
import { RangeFilters, type RangeUnit } from "@/components/dashboard/range-filters";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { granularityOf } from "@/lib/engine/date-range";
import { rangeFiltersToSearch, type ParsedRangeFilters, type RangeFilterValues } from "@/lib/schemas/range-filters";

interface FilteredPageProps {
  title: string;
  description: string;
  unit: RangeUnit;
  parsed: ParsedRangeFilters<RangeFilterValues>;
  organizations: readonly { id: string; name: string }[];
  /** What is shown when the URL's filters are invalid, e.g. "the last 30 days". */
  fallback: string;
  /** A CSV route; the current filters are appended, so the file holds exactly what is shown. */
  csvRoute?: string;
  actions?: ReactNode;
  /** The reporting time zone the days are in (day ranges only). */
  zone?: string;
  children: ReactNode;
}

/**
 * The frame of every analytics page filtered by range and organization (Costs, Savings,
 * Completeness, Feedback): header with an optional CSV export, the URL-kept filters, and what
 * happens when the URL's filters are invalid (the defaults are shown and the fields say why).
 */
export function FilteredPage({ title, description, unit, parsed, organizations, fallback, csvRoute, actions, zone, children }: FilteredPageProps) {
  const search = rangeFiltersToSearch(parsed.filters);
  // The file holds the days shown, even if a preset would resolve differently a moment later.
  const csvSearch = rangeFiltersToSearch(parsed.filters, { resolved: true });
  const { from, to } = parsed.filters;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={title}
        description={description}
        actions={
          csvRoute || actions ? (
            <>
              {actions}
              {csvRoute && (
                <Button asChild variant="outline">
                  <a href={`${csvRoute}?${csvSearch}`} download>
                    <Download aria-hidden />
                    Export CSV
                  </a>
                </Button>
              )}
            </>
          ) : undefined
        }
      />
      <RangeFilters key={search} unit={unit} filters={parsed.filters} organizations={organizations} errors={parsed.ok ? undefined : parsed.errors} />
      {unit === "day" && (
        <p className="-mt-3 text-sm text-muted-foreground" data-testid="range-summary">
          {from === to ? from : `${from} to ${to}`} · {zone ?? "UTC"} · {granularityOf({ from, to }) === "day" ? "by day" : "by month"}
        </p>
      )}
      {!parsed.ok && (
        <Alert variant="destructive">
          <AlertTitle>Those filters are not valid</AlertTitle>
          <AlertDescription>Showing {fallback} instead. Fix the highlighted fields and apply again.</AlertDescription>
        </Alert>
      )}
      {children}
    </div>
  );
}
