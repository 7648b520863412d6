"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { addMember } from "@/lib/db/members";
import { addMemberSchema } from "@/lib/schemas/membership";

/**
 * Gives an existing user a role in an organization (or platform-wide). RLS decides: org admins
 * only in the organizations they administer, platform-wide roles only by platform admins.
 */
export const addMemberAction = defineAction({
  schema: addMemberSchema,
  revalidate: ["/members"],
  run: (input, { tx, user }) => addMember(tx, input, user.id),
});
