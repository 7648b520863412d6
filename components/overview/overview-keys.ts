/** TanStack Query keys for the Overview; invalidate `overviewKeys.all` to refresh everything. */
export const overviewKeys = {
  all: ["overview"] as const,
  stats: () => [...overviewKeys.all, "stats"] as const,
};
