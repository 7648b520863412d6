"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { recomputeCosts } from "@/lib/actions/completeness/recompute-costs";
import type { RepriceJob } from "@/lib/db/reprice-jobs";
import { isActive, useRepriceJob } from "./use-reprice-job";

/**
 * Starts the repricing job (calls without a cost or with a fallback price; platform admins, the
 * server checks again) and shows its live progress. A job already running, here or started by a
 * price import, is picked up on load and a second click just shows it.
 */
export function RecomputeCostsButton({ initialJob }: { initialJob: RepriceJob | null }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [started, setStarted] = useState<RepriceJob | null>(isActive(initialJob) ? initialJob : null);
  const { data: job } = useRepriceJob(started);
  const wasActive = useRef(isActive(started));

  useEffect(() => {
    if (!job) return;
    if (wasActive.current && job.status === "done") {
      toast.success(
        job.changed === 0
          ? "Recompute finished: nothing to reprice, every priceable call already has a database price."
          : `Recompute finished: repriced ${formatCount(job.changed)} of ${formatCount(job.examined)} examined call${job.examined === 1 ? "" : "s"}.`,
      );
      router.refresh();
    } else if (wasActive.current && job.status === "failed") {
      toast.error(job.error ?? "Recomputing costs failed.");
      router.refresh();
    }
    wasActive.current = isActive(job);
  }, [job, router]);

  const running = isActive(job);
  const total = Math.max(job?.totalEstimate ?? 0, job?.examined ?? 0);
  const pct = job && total > 0 ? Math.min(100, (job.examined / total) * 100) : job?.status === "done" ? 100 : 0;

  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="outline"
        disabled={pending || running}
        onClick={() =>
          startTransition(async () => {
            const result = await recomputeCosts({});
            if (!result.ok) {
              toast.error(result.error);
              return;
            }
            if (result.message) toast.info(result.message);
            wasActive.current = true;
            setStarted(result.data.job);
          })
        }
      >
        <RefreshCw className={pending || running ? "animate-spin" : undefined} aria-hidden />
        {running ? "Recomputing…" : "Recompute costs"}
      </Button>
      {job && (running || job.status === "done" || job.status === "failed") && (
        <div className="w-64 space-y-1" data-testid="reprice-progress">
          <div
            role="progressbar"
            aria-label="Recompute progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(pct)}
            className="h-2 overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full rounded-full bg-primary transition-[width]" style={{ width: `${pct}%` }} />
          </div>
          <p className="text-right text-xs text-muted-foreground" aria-live="polite">
            {job.status === "queued" && "Queued… "}
            {job.status === "failed" && "Failed. "}
            {formatCount(job.examined)} of ~{formatCount(total)} examined · {formatCount(job.changed)} repriced
            {job.modelCount !== null && ` · ${job.modelCount} model${job.modelCount === 1 ? "" : "s"}`}
          </p>
        </div>
      )}
    </div>
  );
}
