import { z } from "zod";

/** "Recompute costs" takes no input: it reprices every eligible call. Strict, so nothing rides along. */
export const recomputeCostsSchema = z.strictObject({});
export type RecomputeCostsInput = z.infer<typeof recomputeCostsSchema>;
