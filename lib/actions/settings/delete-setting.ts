"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteSetting } from "@/lib/db/settings";
import { settingIdSchema } from "@/lib/schemas/app-setting";

export const deleteSettingAction = defineAction({
  schema: settingIdSchema,
  revalidate: ["/settings", "/routing"],
  run: (input, { tx }) => deleteSetting(tx, input.id),
});
