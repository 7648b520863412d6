import type { Metadata } from "next";
import { AccessDenied } from "@/components/dashboard/access-denied";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireSessionUser } from "@/lib/auth/session";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/providers");

export const metadata: Metadata = { title: item.title };

export default async function ProvidersPage() {
  const user = await requireSessionUser();
  if (!item.visibleTo(user)) return <AccessDenied area={item.title} allowed="platform administrators" />;
  return <ComingSoon item={item} />;
}
