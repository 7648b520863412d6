import type { ComponentProps, ReactNode } from "react";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import { Table } from "@/components/ui/table";
import { cn } from "@/lib/utils";

/**
 * A card that holds one table, or a sentence when there is nothing to list: the frame the budgets,
 * feedback, costs, routing and settings tables share, so the card, its header and the empty state
 * are written once. Two layouts: `flush` (report tables: a small title, and on narrow screens the
 * table runs to the card's edges) and `padded` (configuration tables: a full title, an action at
 * the top right, the table scrolling inside the card's padding).
 */

interface TableCardProps {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons or filters at the card's top right. */
  action?: ReactNode;
  actionClassName?: string;
  /** True when there are no rows: `emptyText` is shown instead of the table. */
  isEmpty: boolean;
  emptyText: ReactNode;
  layout?: "flush" | "padded";
  /** Added to the card's classes. */
  className?: string;
  /** Center the empty sentence with room above and below (always so in the padded layout). */
  emptyCentered?: boolean;
  /** Attributes of the <table> (aria-label, data-*). */
  tableProps?: Omit<ComponentProps<typeof Table>, "children"> & { [data: `data-${string}`]: string };
  /** The table's header and body. */
  children: ReactNode;
}

export function TableCard({
  title,
  description,
  action,
  actionClassName,
  isEmpty,
  emptyText,
  layout = "flush",
  className,
  emptyCentered = false,
  tableProps,
  children,
}: TableCardProps) {
  const flush = layout === "flush";
  // A flush report table may scroll sideways on a phone: a labelled one scrolls in a keyboard-
  // reachable region (axe scrollable-region-focusable).
  const label = tableProps?.["aria-label"];
  const table =
    flush && label ? (
      <ScrollableTable {...tableProps} label={label}>
        {children}
      </ScrollableTable>
    ) : (
      <Table {...tableProps}>{children}</Table>
    );
  const emptyClass = flush
    ? `px-6 ${emptyCentered ? "py-8 text-center " : ""}text-sm text-muted-foreground sm:px-0`
    : "py-8 text-center text-sm text-muted-foreground";
  return (
    <Card className={cn(flush && "min-w-0", className)}>
      <CardHeader>
        <CardTitle className={flush ? "text-base" : undefined}>{title}</CardTitle>
        {description !== undefined && <CardDescription>{description}</CardDescription>}
        {action && <CardAction className={actionClassName}>{action}</CardAction>}
      </CardHeader>
      <CardContent className={flush ? "px-0 sm:px-6" : undefined}>
        {isEmpty ? (
          <p className={emptyClass}>{emptyText}</p>
        ) : flush ? (
          table
        ) : (
          <div className="overflow-x-auto">{table}</div>
        )}
      </CardContent>
    </Card>
  );
}
