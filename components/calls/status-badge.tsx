import { Badge } from "@/components/ui/badge";

export function CallStatusBadge({ status, isFallback }: { status: "ok" | "failed"; isFallback?: boolean }) {
  return (
    <span className="inline-flex gap-1">
      <Badge variant={status === "ok" ? "success" : "destructive"}>{status}</Badge>
      {isFallback ? <Badge variant="warning">fallback</Badge> : null}
    </span>
  );
}
