import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { TraceStep } from "@/lib/engine/types";

// No tinted "success" badge: its green text is below 4.5:1 contrast (axe, issue 12).
const OUTCOME_VARIANT: Record<TraceStep["outcome"], BadgeProps["variant"]> = {
  chosen: "default",
  applied: "secondary",
  skipped: "outline",
  info: "outline",
};

/** The engine's decision trace as a readable list: rule, outcome, detail. */
export function TraceList({ trace }: { trace: TraceStep[] }) {
  if (trace.length === 0) return <p className="text-sm text-muted-foreground">No trace steps.</p>;
  return (
    <ol className="grid gap-2" aria-label="Decision trace">
      {trace.map((step, i) => (
        <li key={i} className="grid gap-1 rounded-md border px-3 py-2 text-sm sm:grid-cols-[10rem_5rem_1fr] sm:items-baseline sm:gap-3">
          <span className="font-mono text-xs">{step.rule.replaceAll("_", " ")}</span>
          <span><Badge variant={OUTCOME_VARIANT[step.outcome]}>{step.outcome}</Badge></span>
          <span className="min-w-0 break-words text-muted-foreground">{step.detail}</span>
        </li>
      ))}
    </ol>
  );
}
