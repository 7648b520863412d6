"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isActivePath, navItems, navSections } from "@/lib/auth/navigation";
import { cn } from "@/lib/utils";

interface SidebarNavProps {
  /** Hrefs the signed-in user may see, decided on the server (icons cannot cross the boundary). */
  visibleHrefs: readonly string[];
  /** Called after a link is chosen, e.g. to close the mobile sheet. */
  onNavigate?: () => void;
}

export function SidebarNav({ visibleHrefs, onNavigate }: SidebarNavProps) {
  const pathname = usePathname();
  const visible = new Set(visibleHrefs);

  return (
    <nav aria-label="Main" className="flex flex-col gap-5">
      {navSections.map((section) => {
        const items = navItems.filter((item) => item.section === section && visible.has(item.href));
        if (items.length === 0) return null;
        const headingId = `nav-${section.toLowerCase()}`;
        return (
          <div key={section} role="group" aria-labelledby={headingId} className="flex flex-col gap-1">
            <p id={headingId} className="px-3 text-xs font-medium tracking-wide text-muted-foreground uppercase">
              {section}
            </p>
            <ul className="flex flex-col gap-0.5">
              {items.map(({ href, title, icon: Icon }) => {
                const active = isActivePath(href, pathname);
                return (
                  <li key={href}>
                    <Link
                      href={href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      className={cn(
                        "flex h-9 items-center gap-3 rounded-md px-3 text-sm font-medium text-sidebar-foreground/80 transition-colors outline-none",
                        "hover:bg-sidebar-accent hover:text-sidebar-accent-foreground",
                        "focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50",
                        active && "bg-sidebar-accent text-sidebar-accent-foreground",
                      )}
                    >
                      <Icon
                        className={cn("size-4 shrink-0", active ? "text-sidebar-primary" : "text-muted-foreground")}
                        aria-hidden
                      />
                      {title}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
