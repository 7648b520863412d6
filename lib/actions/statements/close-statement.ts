"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { closeStatement } from "@/lib/db/statements-close";
import { closeStatementSchema } from "@/lib/schemas/statement";

/**
 * Closes an organization's month: freezes the statement exactly as the draft shows it. Platform
 * admins only: the early check spares others a round trip; RLS on statements refuses them, and the
 * audit trigger records who closed it.
 */
export const closeStatementAction = defineAction({
  schema: closeStatementSchema,
  revalidate: ["/statements"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx, user }) => closeStatement(tx, input.organizationId, input.month, user.email),
});
