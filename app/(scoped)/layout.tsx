import type { ReactNode } from "react";
import { DashboardFrame } from "@/components/dashboard/dashboard-frame";
import { requireSessionUser } from "@/lib/auth/session";

/**
 * Dashboard pages that may refuse the signed-in user: the role-gated pages (Budgets, Providers, API
 * keys, Audit, Members, Organizations: `visibleTo` in lib/auth/navigation.ts) and an organization's
 * page (for its members). The same frame as (dashboard), but WITHOUT a route-level loading.tsx. Next streams a page
 * inside a loading boundary after the status line is sent, so `forbidden()` there still answers
 * 200 (vercel/next.js#45801); here the page checks access first, in the shell, and answers 403
 * (its forbidden.tsx), then streams its content inside its own <Suspense> skeleton.
 */
export default async function ScopedDashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return <DashboardFrame user={user}>{children}</DashboardFrame>;
}
