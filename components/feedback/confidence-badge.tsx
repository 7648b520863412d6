import { Badge } from "@/components/ui/badge";
import type { Confidence } from "@/lib/db/feedback";

const VARIANT = { high: "success", medium: "warning", low: "outline" } as const;

export function ConfidenceBadge({ confidence }: { confidence: Confidence }) {
  return (
    <Badge variant={VARIANT[confidence]} data-confidence={confidence}>
      {confidence}
    </Badge>
  );
}
