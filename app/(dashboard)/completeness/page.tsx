import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/completeness");

export const metadata: Metadata = { title: item.title };

export default function CompletenessPage() {
  return <ComingSoon item={item} />;
}
