import type { Metadata } from "next";
import { ComingSoon } from "@/components/dashboard/coming-soon";
import { getNavItem } from "@/lib/nav";

const item = getNavItem("/feedback");

export const metadata: Metadata = { title: item.title };

export default function FeedbackPage() {
  return <ComingSoon item={item} />;
}
