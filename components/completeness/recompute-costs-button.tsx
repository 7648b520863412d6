"use client";

import { useTransition } from "react";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { recomputeCosts } from "@/lib/actions/completeness/recompute-costs";

/** Reprices calls without a cost or with a fallback price (platform admins; the server checks again). */
export function RecomputeCostsButton() {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await recomputeCosts({});
          if (result.ok) toast.success(result.message ?? `Repriced ${result.data.changed} calls.`);
          else toast.error(result.error);
        })
      }
    >
      <RefreshCw className={pending ? "animate-spin" : undefined} aria-hidden />
      {pending ? "Recomputing…" : "Recompute costs"}
    </Button>
  );
}
