"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveSetting } from "@/lib/db/settings";
import { settingInputSchema } from "@/lib/schemas/app-setting";

/** Creates or edits a typed setting; bounds and types are checked by zod and by the table. */
export const saveSettingAction = defineAction({
  schema: settingInputSchema,
  revalidate: ["/settings", "/routing"],
  run: (input, { tx }) => saveSetting(tx, input),
});
