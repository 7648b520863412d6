import { AccessDenied } from "@/components/dashboard/access-denied";

/** What forbidden() in this page renders, with HTTP 403: the organization is not one of the user's. */
export default function OrganizationForbidden() {
  return <AccessDenied area="This organization's page" allowed="its members and platform administrators" />;
}
