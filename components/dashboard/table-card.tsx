import { isValidElement, type ComponentProps, type ReactNode } from "react";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import { cn } from "@/lib/utils";

/**
 * A card that holds one table, or a sentence when there is nothing to list: the frame the budgets,
 * feedback, costs, routing and settings tables share, so the card, its header and the empty state
 * are written once. Two layouts: `flush` (report tables: a small title, and on narrow screens the
 * table runs to the card's edges) and `padded` (configuration tables: a full title, an action at
 * the top right, the table scrolling inside the card's padding). Either way the table sits in a
 * keyboard-reachable scroll region (ScrollableTable) named after the table: on a phone most tables
 * are wider than the screen, and a region only a mouse can scroll fails WCAG 2.1.1.
 */

/** The text of a title such as `<>Cost by model</>` or `<h2>API keys</h2>`, to name the scroll region. */
function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}

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
  tableProps?: Omit<ComponentProps<"table">, "children"> & { [data: `data-${string}`]: string };
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
  const label = tableProps?.["aria-label"] ?? (textOf(title).trim() || "Table");
  const table = (
    <ScrollableTable label={label} {...tableProps}>
      {children}
    </ScrollableTable>
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
        ) : (
          table
        )}
      </CardContent>
    </Card>
  );
}
