"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Pencil, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
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
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
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
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Delete ${label}`}>
            <Trash2 />
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete this rule?</DialogTitle>
            <DialogDescription>{label}. Calls it served fall through to the next matching rule. Disabling keeps it for later.</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button
              variant="destructive"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await deleteRuleAction({ id: rule.id });
                  if (!result.ok) {
                    toast.error(result.error);
                    return;
                  }
                  toast.success("Rule deleted.");
                  setOpen(false);
                  router.refresh();
                })
              }
            >
              Delete rule
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
