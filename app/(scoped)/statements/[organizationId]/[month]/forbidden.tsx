import { AccessDenied } from "@/components/dashboard/access-denied";

/** HTTP 403: the statement belongs to an organization the user may not read. */
export default function StatementForbidden() {
  return <AccessDenied area="This statement" allowed="finance and administrators of its organization, and platform administrators" />;
}
