"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { refusalsToForm } from "@/lib/actions/routing/refusal";
import { deleteSetting } from "@/lib/db/settings";
import { settingIdSchema } from "@/lib/schemas/app-setting";

export const deleteSettingAction = defineAction({
  schema: settingIdSchema,
  revalidate: ["/settings", "/routing"],
  run: (input, { tx }) => refusalsToForm(() => deleteSetting(tx, input.id)),
});
