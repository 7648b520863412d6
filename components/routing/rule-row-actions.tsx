"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { Pencil, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import { deleteRuleAction } from "@/lib/actions/routing/delete-rule";
import { setRuleEnabledAction } from "@/lib/actions/routing/set-rule-enabled";
import type { RoutingPageData, RoutingRule } from "@/lib/db/routing";
import { RuleFormDialog } from "./rule-form-dialog";

function describeRule(rule: RoutingRule): string {
  return `${rule.appName} · ${rule.organizationName ?? "default"} · ${rule.actionType} · priority ${rule.priority}`;
}

export function RuleEnabledSwitch({ rule }: { rule: RoutingRule }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Switch
      checked={rule.enabled}
      disabled={pending}
      aria-label={`Enabled: ${describeRule(rule)}`}
      onCheckedChange={(enabled) =>
        startTransition(async () => {
          const result = await setRuleEnabledAction({ id: rule.id, enabled });
          if (!result.ok) toast.error(result.error);
          else toast.success(enabled ? "Rule enabled." : "Rule disabled.");
          router.refresh();
        })
      }
    />
  );
}

export function RuleRowActions({ rule, data, writableOrgIds }: { rule: RoutingRule; data: RoutingPageData; writableOrgIds: string[] | null }) {
  const label = describeRule(rule);
  return (
    <div className="flex justify-end gap-1">
      <RuleFormDialog
        data={data}
        writableOrgIds={writableOrgIds}
        rule={rule}
        trigger={
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Edit ${label}`}>
            <Pencil />
          </Button>
        }
      />
      <ConfirmActionDialog
        trigger={
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Delete ${label}`}>
            <Trash2 />
          </Button>
        }
        title="Delete this rule?"
        description={`${label}. Calls it served fall through to the next matching rule. Disabling keeps it for later.`}
        confirmLabel="Delete rule"
        run={() => deleteRuleAction({ id: rule.id })}
        success="Rule deleted."
      />
    </div>
  );
}
