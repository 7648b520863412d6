import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/settings");

export const metadata: Metadata = { title: item.title };

export default function SettingsPage() {
  return <ComingSoon item={item} />;
}
