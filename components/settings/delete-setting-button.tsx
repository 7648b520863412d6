"use client";

import { Trash2 } from "lucide-react";
import { ConfirmActionDialog } from "@/components/dashboard/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { deleteSettingAction } from "@/lib/actions/settings/delete-setting";

export function DeleteSettingButton({ id, label }: { id: string; label: string }) {
  return (
    <ConfirmActionDialog
      trigger={<Button variant="ghost" size="icon" className="size-8" aria-label={`Delete ${label}`}><Trash2 /></Button>}
      title="Delete this setting?"
      description={`${label}. The next scope down (or the built-in default) takes over.`}
      confirmLabel="Delete setting"
      run={() => deleteSettingAction({ id })}
      success="Setting deleted."
    />
  );
}
