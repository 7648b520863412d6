"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveOrganization } from "@/lib/db/organizations";
import { organizationFormSchema } from "@/lib/schemas/organization";

/** Adds or edits a client organization (platform admins; the database refuses everyone else). */
export const saveOrganizationAction = defineAction({
  schema: organizationFormSchema,
  revalidate: ["/organizations", "/"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => saveOrganization(tx, input),
});
