import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/routing");

export const metadata: Metadata = { title: item.title };

export default function RoutingPage() {
  return <ComingSoon item={item} />;
}
