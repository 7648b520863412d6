"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { reopenStatement } from "@/lib/db/statements-close";
import { reopenStatementSchema } from "@/lib/schemas/statement";

/** Reopens the latest closed month with a reason (audited). Platform admins only; RLS decides. */
export const reopenStatementAction = defineAction({
  schema: reopenStatementSchema,
  revalidate: ["/statements"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => reopenStatement(tx, input.organizationId, input.month, input.reason),
});
