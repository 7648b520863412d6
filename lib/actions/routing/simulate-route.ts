"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { simulateRoute } from "@/lib/db/routing";
import { simulateRouteSchema } from "@/lib/schemas/llm-configuration";

/**
 * The route simulator: the gateway's engine on the configuration the user can see (read under
 * RLS), so it shows the model, fallbacks and trace a real call would get. Read-only.
 */
export const simulateRouteAction = defineAction({
  schema: simulateRouteSchema,
  run: (input, { tx }) => simulateRoute(tx, input),
});
