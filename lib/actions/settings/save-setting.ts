"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { refusalsToForm } from "@/lib/actions/routing/refusal";
import { saveSetting } from "@/lib/db/settings";
import { settingInputSchema } from "@/lib/schemas/app-setting";

/** Creates or edits a typed setting; bounds and types are checked by zod and by the table. */
export const saveSettingAction = defineAction({
  schema: settingInputSchema,
  revalidate: ["/settings", "/routing"],
  run: (input, { tx }) => refusalsToForm(() => saveSetting(tx, input)),
});
