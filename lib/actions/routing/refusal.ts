import "server-only";
import { ActionError } from "@/lib/actions/safe-action";
import { WriteRefusal } from "@/lib/db/write-refusal";

/** Runs a write and turns its WriteRefusal into the ActionError the form shows. */
export async function refusalsToForm<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof WriteRefusal) throw new ActionError(err.message, err.fieldErrors);
    throw err;
  }
}
