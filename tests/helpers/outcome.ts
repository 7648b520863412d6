import { WriteRefusal } from "@/lib/db/write-refusal";

/**
 * What a write came to, as one comparable string: "ok"; "refused" for a refusal found by the
 * write's own checks (WriteRefusal; with `detail` its message or field names); else the
 * PostgreSQL error code the database refused it with (42501 privilege or RLS, 23514 check, …).
 */
export async function outcome(run: () => Promise<unknown>, detail?: "message" | "fields"): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    if (err instanceof WriteRefusal) {
      if (detail === "message") return `refused: ${err.message}`;
      if (detail === "fields" && err.fieldErrors) return `field:${Object.keys(err.fieldErrors).join(",")}`;
      return "refused";
    }
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === "string" ? code : String(err);
  }
}
