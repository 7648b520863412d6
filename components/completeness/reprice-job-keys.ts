/** TanStack Query keys for repricing jobs: one factory, so a start and its polling share them. */
export const repriceJobKeys = {
  all: ["reprice-jobs"] as const,
  detail: (id: string) => ["reprice-jobs", id] as const,
};
