"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { simulateRouteWithReadiness } from "@/lib/db/routing";
import { simulateRouteSchema } from "@/lib/schemas/llm-configuration";

/**
 * The route simulator: the gateway's engine on the configuration the user can see (read under
 * RLS), so it shows the model, fallbacks and trace a real call would get, and whether each chosen
 * provider could serve it from this server (enabled, key env var set: booleans, never the key).
 * Read-only.
 */
export const simulateRouteAction = defineAction({
  schema: simulateRouteSchema,
  run: (input, { tx }) => simulateRouteWithReadiness(tx, input, process.env),
});
