import type { ReactNode } from "react";
import { requireSessionUser } from "@/lib/auth/session";

/**
 * Print views: no navigation chrome at all (the dashboard frame is not around them), only the
 * document, for the browser's print dialog and "Save as PDF". Signed-in users only.
 */
export default async function PrintLayout({ children }: { children: ReactNode }) {
  await requireSessionUser();
  return <div className="min-h-dvh bg-white text-black">{children}</div>;
}
