"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Switch } from "@/components/ui/switch";
import { setProviderEnabledAction } from "@/lib/actions/providers/set-provider-enabled";

export function ProviderEnabledSwitch({ id, code, enabled }: { id: string; code: string; enabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Switch
      checked={enabled}
      disabled={pending}
      aria-label={`Enabled: ${code}`}
      onCheckedChange={(next) =>
        startTransition(async () => {
          const result = await setProviderEnabledAction({ id, enabled: next });
          if (!result.ok) toast.error(result.error);
          else toast.success(next ? `${code} enabled.` : `${code} disabled: the gateway skips it within a second.`);
          router.refresh();
        })
      }
    />
  );
}
