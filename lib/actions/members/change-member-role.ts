"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { changeMemberRole } from "@/lib/db/members";
import { changeMemberRoleSchema } from "@/lib/schemas/membership";

/** Changes a membership's role; the database refuses other organizations' rows and lock-outs. */
export const changeMemberRoleAction = defineAction({
  schema: changeMemberRoleSchema,
  revalidate: ["/members"],
  run: (input, { tx }) => changeMemberRole(tx, input.id, input.role),
});
