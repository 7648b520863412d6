"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { deleteSettingAction } from "@/lib/actions/settings/delete-setting";

export function DeleteSettingButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="size-8" aria-label={`Delete ${label}`}><Trash2 /></Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Delete this setting?</DialogTitle>
          <DialogDescription>{label}. The next scope down (or the built-in default) takes over.</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild><Button variant="outline">Cancel</Button></DialogClose>
          <Button
            variant="destructive"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await deleteSettingAction({ id });
                if (!result.ok) {
                  toast.error(result.error);
                  return;
                }
                toast.success("Setting deleted.");
                setOpen(false);
                router.refresh();
              })
            }
          >
            Delete setting
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
