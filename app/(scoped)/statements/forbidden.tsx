import { AccessDenied } from "@/components/dashboard/access-denied";
import { getNavItem } from "@/lib/auth/navigation";

/** What forbidden() in this page renders, with HTTP 403: the signed-in user's role may not open this page. */
export default function Forbidden() {
  return <AccessDenied area={getNavItem("/statements").title} allowed="administrators and finance" />;
}
