import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/calls");

export const metadata: Metadata = { title: item.title };

export default function CallsPage() {
  return <ComingSoon item={item} />;
}
