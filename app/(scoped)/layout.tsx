import type { ReactNode } from "react";
import { DashboardFrame } from "@/components/dashboard/dashboard-frame";
import { requireSessionUser } from "@/lib/auth/session";

/**
 * Dashboard pages whose access depends on the URL (an organization's page is for its members):
 * the same frame as (dashboard), but WITHOUT a route-level loading.tsx. Next streams a page
 * inside a loading boundary after the status line is sent, so `forbidden()` there still answers
 * 200 (vercel/next.js#45801); here the page checks access first, in the shell, and answers 403,
 * then streams its sections inside their own <Suspense> skeletons.
 */
export default async function ScopedDashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return <DashboardFrame user={user}>{children}</DashboardFrame>;
}
