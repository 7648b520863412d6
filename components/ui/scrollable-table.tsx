import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/**
 * A table whose container may scroll sideways (a narrow phone screen): unlike `Table`, the
 * container is a named region in the tab order, so a keyboard user can scroll it (axe
 * "scrollable-region-focusable") and a screen reader announces what it holds. The table keeps the
 * same name, so it is still found and announced as the table it is.
 */
function ScrollableTable({ label, className, ...props }: ComponentProps<"table"> & { label: string }) {
  return (
    <div
      data-slot="table-container"
      role="region"
      aria-label={label}
      tabIndex={0}
      className="relative w-full overflow-x-auto rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <table data-slot="table" aria-label={label} className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}

export { ScrollableTable };
