import type { Metadata } from "next";
import { AccessDenied } from "@/components/dashboard/access-denied";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { requireSessionUser } from "@/lib/auth/session";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/keys");

export const metadata: Metadata = { title: item.title };

export default async function ApiKeysPage() {
  const user = await requireSessionUser();
  if (!item.visibleTo(user)) return <AccessDenied area={item.title} allowed="administrators" />;
  return <ComingSoon item={item} />;
}
