"use client";

import { useQuery } from "@tanstack/react-query";
import type { RepriceJob } from "@/lib/db/reprice-jobs";
import { repriceJobKeys } from "./reprice-job-keys";

export const isActive = (job: RepriceJob | null | undefined) => job?.status === "queued" || job?.status === "running";

async function fetchJob(id: string): Promise<RepriceJob> {
  const response = await fetch(`/api/dashboard/reprice-jobs/${encodeURIComponent(id)}`, { cache: "no-store" });
  const body = (await response.json().catch(() => null)) as { job?: RepriceJob; error?: { message?: string } } | null;
  if (!response.ok || !body?.job) throw new Error(body?.error?.message ?? `Could not read the job (HTTP ${response.status}).`);
  return body.job;
}

/** Polls a repricing job's status route every second while it is queued or running. */
export function useRepriceJob(initial: RepriceJob | null) {
  return useQuery({
    queryKey: repriceJobKeys.detail(initial?.id ?? "none"),
    queryFn: () => fetchJob(initial?.id ?? ""),
    enabled: Boolean(initial),
    initialData: initial ?? undefined,
    staleTime: 0,
    refetchInterval: (query) => (isActive(query.state.data) ? 1000 : false),
  });
}
