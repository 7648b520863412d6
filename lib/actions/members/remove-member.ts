"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { removeMember } from "@/lib/db/members";
import { removeMemberSchema } from "@/lib/schemas/membership";

/** Removes a membership (the user keeps their sign-in); the database refuses lock-outs. */
export const removeMemberAction = defineAction({
  schema: removeMemberSchema,
  revalidate: ["/members"],
  run: (input, { tx }) => removeMember(tx, input.id),
});
