import Link from "next/link";
import type { ReactNode } from "react";
import { Brand } from "@/components/brand";
import { SidebarNav } from "@/components/dashboard/sidebar-nav";
import { SiteHeader } from "@/components/dashboard/site-header";
import type { SessionUser } from "@/lib/db/sessions";
import { navItems } from "@/lib/auth/navigation";

/**
 * The signed-in dashboard's frame: skip link, sidebar with the pages the user may see, header and
 * <main>. Shared by the (dashboard) layout and the (scoped) one, whose pages decide access from
 * their URL and must answer 403 before anything streams (see app/(scoped)/layout.tsx).
 */
export function DashboardFrame({ user, children }: { user: SessionUser; children: ReactNode }) {
  const visibleHrefs = navItems.filter((item) => item.visibleTo(user)).map((item) => item.href);

  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:ring-[3px] focus:ring-ring/50"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar text-sidebar-foreground md:flex">
        <div className="flex h-14 shrink-0 items-center border-b border-sidebar-border px-4">
          <Link
            href="/"
            className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50"
          >
            <Brand className="text-sm" />
          </Link>
        </div>
        <div className="flex-1 overflow-y-auto p-3">
          <SidebarNav visibleHrefs={visibleHrefs} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <SiteHeader user={user} visibleHrefs={visibleHrefs} />
        <main id="main" tabIndex={-1} className="flex-1 outline-none">
          <div className="mx-auto w-full max-w-7xl px-4 py-6 md:px-8 md:py-8">{children}</div>
        </main>
      </div>
    </div>
  );
}
