import { errorDetail } from "@/lib/errors";
import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/auth/types";
import { getDb } from "@/lib/db/instance";
import { withUser, type UserTx } from "@/lib/db/rls";

/**
 * The one wrapper every server action goes through: authenticate, validate with the entity's
 * zod schema, run inside the RLS transaction as the signed-in user (so the database decides what
 * they may write; the audit trigger records it with their identity), and return a typed result.
 * Validation and permission failures are returned to the form, never thrown.
 */
export type ActionResult<T> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export interface ActionContext {
  user: SessionUser;
  tx: UserTx;
}

export interface ActionDefinition<S extends z.ZodType, T> {
  schema: S;
  /** Paths whose server-rendered data the action changes. */
  revalidate?: string[];
  /** A cheap early refusal for users who clearly cannot do this (the database still decides). */
  allow?: (user: SessionUser) => boolean;
  run: (input: z.infer<S>, ctx: ActionContext) => Promise<T>;
}

export function toInput(input: unknown): unknown {
  if (typeof FormData !== "undefined" && input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of input.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
    return out;
  }
  return input;
}

/** Postgres errors as messages a user can act on; never the SQL or internals. */
export function describeDbError(err: unknown): string | null {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : "";
  switch (code) {
    case "42501":
      return "You don't have permission to make this change.";
    case "23505":
      return "That already exists: a record with the same key is there.";
    case "23503":
      return "A record this refers to does not exist (or was deleted).";
    case "23514":
      return /fallback/.test(message) ? message : "A value is outside what is allowed.";
    case "22P02":
    case "22003":
    case "22023":
      return "A value has the wrong format.";
    default:
      return null;
  }
}

export function defineAction<S extends z.ZodType, T>(def: ActionDefinition<S, T>) {
  return async function action(input: unknown): Promise<ActionResult<T>> {
    const user = await getSessionUser();
    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    if (def.allow && !def.allow(user)) return { ok: false, error: "You don't have permission to make this change." };
    const parsed = def.schema.safeParse(toInput(input));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        (fieldErrors[key] ??= []).push(issue.message);
      }
      return { ok: false, error: "Check the highlighted fields.", fieldErrors };
    }
    try {
      const db = await getDb();
      const data = await withUser(db, user.claims, (tx) => def.run(parsed.data, { user, tx }));
      for (const path of def.revalidate ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof ActionError) return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
      const described = describeDbError(err);
      if (described) return { ok: false, error: described };
      console.error(`[action] unexpected error: ${errorDetail(err)}`);
      return { ok: false, error: "Something went wrong; nothing was changed." };
    }
  };
}

/** Thrown inside an action's run() for a refusal the schema cannot express (e.g. "no row matched"). */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}
