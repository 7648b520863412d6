import { z } from "zod";

/**
 * The Calls page's filters, read from the URL's search params (so a filtered view can be linked
 * and reloaded). Empty strings mean "no filter". `cursor` is the keyset position of the last row
 * of the previous page.
 */
const optionalUuid = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.guid().optional());

const optionalDate = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
      .optional(),
  );

const optionalText = z
  .string()
  .trim()
  .max(200)
  .transform((v) => (v === "" ? undefined : v));

export const callFiltersSchema = z.object({
  organization: optionalUuid.optional(),
  app: optionalUuid.optional(),
  status: z.enum(["ok", "failed", ""]).optional().transform((v) => (v === "" ? undefined : v)),
  model: optionalText.optional(),
  from: optionalDate.optional(),
  to: optionalDate.optional(),
  requestId: optionalUuid.optional(),
  cursor: optionalText.optional(),
});

export type CallFilters = z.output<typeof callFiltersSchema>;

/** Parses search params leniently: an invalid value drops that filter instead of failing the page. */
export function parseCallFilters(params: Record<string, string | string[] | undefined>): CallFilters {
  const out: Record<string, string> = {};
  for (const key of Object.keys(callFiltersSchema.shape)) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const one = callFiltersSchema.shape[key as keyof typeof callFiltersSchema.shape].safeParse(value);
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return callFiltersSchema.parse(out);
}

/** Keyset cursor: the row's created_at at full (microsecond) precision as text, and its id. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [createdAt, id] = text.split("|");
  if (!createdAt || !id || !z.guid().safeParse(id).success || Number.isNaN(Date.parse(createdAt))) return null;
  return { createdAt, id };
}

/** The filters as URL search params (without the cursor unless given), for links. */
export function filtersToSearch(filters: CallFilters, cursor?: string): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (k !== "cursor" && typeof v === "string" && v) p.set(k, v);
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return s ? `?${s}` : "";
}
