import { formatCount, formatDateTime, formatPercent } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { LearningSwitch } from "@/lib/db/feedback";
import type { LearningStatus } from "@/lib/db/learning-status";
import { ConfidenceBadge } from "./confidence-badge";

/** learning.enabled (the kill switch), coverage of active patterns and the confidence mix. */
export function LearningStatusCard({ status, learning }: { status: LearningStatus; learning: LearningSwitch }) {
  const { coverage } = status;
  return (
    <Card className="min-w-0 gap-3">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          Learning
          <Badge variant={learning.enabled ? "success" : "warning"} data-testid="learning-enabled">
            {learning.enabled ? "on" : "off"}
          </Badge>
        </CardTitle>
        <CardDescription>
          {learning.enabled
            ? "Active overrides at or above learning.min_confidence replace default routing."
            : "Overrides are kept but not applied: routing uses the configured rules."}{" "}
          {learning.source === "default" ? "No learning.enabled setting: built-in default." : "Set by the global learning.enabled setting."}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        {learning.exceptions.length > 0 && (
          <ul aria-label="learning.enabled exceptions" className="space-y-1">
            {learning.exceptions.map((e) => (
              <li key={`${e.scope}:${e.target}`}>
                {e.enabled ? "On" : "Off"} for {e.scope} <span className="font-medium">{e.target}</span>
              </li>
            ))}
          </ul>
        )}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2">
          <dt className="text-muted-foreground">Coverage ({coverage.window_days} days)</dt>
          <dd className="tabular-nums" data-testid="learning-coverage">
            {coverage.ratio === null ? "—" : formatPercent(coverage.ratio * 100)}{" "}
            <span className="text-muted-foreground">
              ({formatCount(coverage.with_override)} of {formatCount(coverage.active_patterns)} patterns with feedback)
            </span>
          </dd>
          <dt className="text-muted-foreground">Active overrides</dt>
          <dd className="tabular-nums" data-testid="learning-active">{formatCount(status.total_overrides)}</dd>
          <dt className="text-muted-foreground">By confidence</dt>
          <dd>
            <ul aria-label="Active overrides by confidence" className="flex flex-wrap gap-x-3 gap-y-1">
              {(["high", "medium", "low"] as const).map((c) => (
                <li key={c} className="inline-flex items-center gap-1 tabular-nums">
                  <ConfidenceBadge confidence={c} />
                  {formatCount(status.confidence[c])}
                </li>
              ))}
            </ul>
          </dd>
          <dt className="text-muted-foreground">Last retrain</dt>
          <dd>{status.last_retrain ? `${formatDateTime(status.last_retrain.created_at)} (${status.last_retrain.status})` : "—"}</dd>
        </dl>
      </CardContent>
    </Card>
  );
}
