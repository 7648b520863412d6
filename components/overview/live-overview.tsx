"use client";

import { useSyncExternalStore } from "react";
import { CircleAlert, RefreshCw } from "lucide-react";
import { cn } from "@/lib/utils";
import { OverviewStats } from "./overview-stats";
import type { OverviewStats as OverviewStatsData } from "@/lib/db/overview";
import { useOverviewQuery } from "./use-overview-query";

// A one-second clock for "updated Xs ago"; null while rendering on the server, so hydration matches.
function subscribeClock(onTick: () => void): () => void {
  const id = window.setInterval(onTick, 1000);
  return () => window.clearInterval(id);
}
const getNow = () => Math.floor(Date.now() / 1000) * 1000;
const getServerNow = () => null;

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ago` : `${Math.floor(m / 60)}h ago`;
}

/** The Overview with live figures: server-rendered first, then refreshed in the browser. */
export function LiveOverview({ initial }: { initial: OverviewStatsData }) {
  const query = useOverviewQuery(initial);
  const now = useSyncExternalStore(subscribeClock, getNow, getServerNow);
  const updated = now === null ? "just now" : ago(now - query.dataUpdatedAt);

  return (
    <div className="flex flex-col gap-3">
      {/* Not a live region: the ticking "updated" text would be announced every second. The error note is a status. */}
      <div className="flex flex-wrap items-center justify-end gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {query.isError && (
          <p role="status" className="flex items-center gap-1 text-destructive" data-testid="overview-refresh-error">
            <CircleAlert className="size-3.5" aria-hidden />
            {query.error.message} Showing the last figures.
          </p>
        )}
        <p className="flex items-center gap-1.5" data-testid="overview-updated">
          <RefreshCw className={cn("size-3.5", query.isFetching && "animate-spin")} aria-hidden />
          <span>{query.isFetching ? "Refreshing…" : `Updated ${updated}`}</span>
        </p>
      </div>
      <OverviewStats stats={query.data} />
    </div>
  );
}
