"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { retrainOverrides } from "@/lib/actions/feedback/retrain-overrides";
import type { RetrainView } from "@/lib/learning/diff-view";
import { RetrainDiff } from "./retrain-diff";

interface RetrainPanelProps {
  /** What a retrain uses without input: the learning.* settings, else the built-in defaults. */
  defaults: { minSamples: number; confidenceThreshold: "low" | "medium" | "high"; tolerance: number };
  windowDays: number;
}

/**
 * Platform admins only (the page renders it for them; the action checks again on the server).
 * Preview runs the retrain as a dry run and shows the diff; Apply, after a confirmation, runs it
 * for real and refreshes the page's overrides and runs.
 */
export function RetrainPanel({ defaults, windowDays }: RetrainPanelProps) {
  const router = useRouter();
  const [minSamples, setMinSamples] = useState(String(defaults.minSamples));
  const [threshold, setThreshold] = useState<string>(defaults.confidenceThreshold);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<RetrainView | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [running, setRunning] = useState<"preview" | "apply" | null>(null);

  function run(dryRun: boolean) {
    setRunning(dryRun ? "preview" : "apply");
    startTransition(async () => {
      const res = await retrainOverrides({ dry_run: dryRun, min_samples: minSamples, confidence_threshold: threshold });
      setRunning(null);
      if (!res.ok) {
        setErrors(res.fieldErrors ?? {});
        setConfirming(false);
        toast.error(res.error);
        return;
      }
      setErrors({});
      setResult(res.data);
      setConfirming(false);
      if (dryRun) toast.info(res.message ?? "Preview ready.");
      else {
        toast.success(res.message ?? "Retrained.");
        router.refresh();
      }
    });
  }

  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle className="text-base">Retrain learned overrides</CardTitle>
        <CardDescription>
          Uses the last {windowDays} days of feedback. A model replaces an app&apos;s default for a pattern when it has enough samples, scores
          within {defaults.tolerance} of the default and is cheaper. Preview first: it shows the changes and writes nothing.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form
          aria-label="Retrain"
          className="flex flex-wrap items-start gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            run(true);
          }}
        >
          <Field id="retrain-min-samples" label="Minimum samples" errors={errors.min_samples} hint="Per model and pattern">
            <Input
              id="retrain-min-samples"
              inputMode="numeric"
              className="w-36"
              value={minSamples}
              onChange={(e) => setMinSamples(e.target.value)}
              aria-invalid={Boolean(errors.min_samples)}
              aria-describedby={errors.min_samples ? "retrain-min-samples-error" : undefined}
            />
          </Field>
          <Field id="retrain-threshold" label="Confidence threshold" errors={errors.confidence_threshold} hint="Lowest confidence activated">
            <Select value={threshold} onValueChange={setThreshold}>
              <SelectTrigger id="retrain-threshold" className="w-36" aria-invalid={Boolean(errors.confidence_threshold)}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="high">high</SelectItem>
                <SelectItem value="medium">medium</SelectItem>
                <SelectItem value="low">low</SelectItem>
              </SelectContent>
            </Select>
          </Field>
          <div className="mt-[1.375rem] flex gap-2">
            <Button type="submit" variant="secondary" disabled={pending}>
              {running === "preview" ? "Previewing…" : "Preview (dry run)"}
            </Button>
            <Button type="button" disabled={pending} onClick={() => setConfirming(true)}>
              Apply…
            </Button>
          </div>
        </form>
        {errors._ && <p className="text-sm text-destructive" role="alert">{errors._.join(" ")}</p>}
        {result && <RetrainDiff result={result} />}
      </CardContent>
      <Dialog open={confirming} onOpenChange={setConfirming}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Apply the retrain?</DialogTitle>
            <DialogDescription>
              Overrides at or above <span className="font-medium">{threshold}</span> confidence with at least{" "}
              <span className="font-medium">{minSamples}</span> samples are activated, others retired. Routing for every client without its own
              rule follows within a second (when learning is on). The run is recorded.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button disabled={pending} onClick={() => run(false)}>
              {running === "apply" ? "Applying…" : "Apply retrain"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
