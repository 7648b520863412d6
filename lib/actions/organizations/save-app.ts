"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveApp } from "@/lib/db/organizations";
import { appFormSchema } from "@/lib/schemas/organization";

/** Adds or edits an app: baseline model (savings), legacy model (kill switch), explicit models. */
export const saveAppAction = defineAction({
  schema: appFormSchema,
  revalidate: ["/organizations", "/routing", "/keys"],
  allow: (user) => user.isPlatformAdmin,
  run: (input, { tx }) => saveApp(tx, input),
});
