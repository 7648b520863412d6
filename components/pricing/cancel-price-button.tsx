"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cancelScheduledPriceAction } from "@/lib/actions/pricing/cancel-scheduled-price";

export function CancelPriceButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      className="h-6 px-2 text-xs"
      disabled={pending}
      aria-label={`Cancel scheduled price ${label}`}
      onClick={() =>
        startTransition(async () => {
          const result = await cancelScheduledPriceAction({ id });
          if (!result.ok) toast.error(result.error);
          else toast.success("Scheduled price cancelled.");
          router.refresh();
        })
      }
    >
      Cancel
    </Button>
  );
}
