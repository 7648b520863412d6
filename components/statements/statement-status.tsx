import { Badge } from "@/components/ui/badge";

/** Draft (computed live, may still change) or closed (frozen). */
export function StatementStatus({ status }: { status: "draft" | "closed" }) {
  return status === "closed" ? <Badge variant="success">Closed</Badge> : <Badge variant="warning">Draft</Badge>;
}
