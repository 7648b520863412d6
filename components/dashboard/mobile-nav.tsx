"use client";

import { useState, type ReactNode } from "react";
import { Menu } from "lucide-react";
import { Brand } from "@/components/brand";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { SidebarNav } from "./sidebar-nav";

interface MobileNavProps {
  visibleHrefs: readonly string[];
  /** Shown under the links: who is signed in, since the header hides it on narrow screens. */
  footer?: ReactNode;
}

/** The sidebar as a slide-in sheet below the `md` breakpoint. */
export function MobileNav({ visibleHrefs, footer }: MobileNavProps) {
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <Menu aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" className="w-72 gap-0 bg-sidebar p-0 text-sidebar-foreground">
        <SheetHeader className="h-14 justify-center border-b border-sidebar-border px-4 py-0">
          <SheetTitle>
            <Brand />
          </SheetTitle>
          <SheetDescription className="sr-only">Navigate between dashboard pages.</SheetDescription>
        </SheetHeader>
        <div className="flex-1 overflow-y-auto p-3">
          <SidebarNav visibleHrefs={visibleHrefs} onNavigate={() => setOpen(false)} />
        </div>
        {footer && <div className="border-t border-sidebar-border p-4">{footer}</div>}
      </SheetContent>
    </Sheet>
  );
}
