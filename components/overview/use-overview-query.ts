"use client";

import { useQuery } from "@tanstack/react-query";
import { overviewKeys } from "./overview-keys";
import type { OverviewStats } from "@/lib/db/overview";

/** How often the Overview refreshes while its tab is visible. */
export const OVERVIEW_REFRESH_MS = 15_000;

async function fetchOverview(signal: AbortSignal): Promise<OverviewStats> {
  const res = await fetch("/api/dashboard/overview", { signal, cache: "no-store", headers: { accept: "application/json" } });
  if (!res.ok) {
    if (res.status === 401) throw new Error("Your session has ended. Sign in again to refresh.");
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The overview could not be refreshed (HTTP ${res.status}).`);
  }
  return (await res.json()) as OverviewStats;
}

/**
 * The Overview's figures, starting from the server-rendered ones and refetched every 15 s. The
 * interval pauses while the tab is hidden (TanStack's refetchIntervalInBackground: false) and a
 * refetch runs on return. A failed refetch keeps the last data; the error is shown beside it.
 */
export function useOverviewQuery(initial: OverviewStats) {
  return useQuery({
    queryKey: overviewKeys.stats(),
    queryFn: ({ signal }) => fetchOverview(signal),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.generatedAt),
    staleTime: OVERVIEW_REFRESH_MS,
    refetchInterval: OVERVIEW_REFRESH_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}
