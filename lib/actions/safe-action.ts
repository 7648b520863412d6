import "server-only";
import { revalidatePath } from "next/cache";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { isPlatformAdmin } from "@/lib/db/platform-admin";
import { withUser, type UserTx } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";
import { serviceDb } from "@/lib/db/service";
import type { SessionUser } from "@/lib/db/sessions";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { errorDetail } from "@/lib/errors";

/**
 * The one wrapper every server action goes through: authenticate, validate with the entity's
 * zod schema, run inside the RLS transaction as the signed-in user (so the database decides what
 * they may write; the audit trigger records it with their identity), and return a typed result.
 * Validation and permission failures are returned to the form, never thrown: a WriteRefusal
 * (thrown by lib/db's writes or by the action itself) becomes `{ ok: false, error, fieldErrors }`.
 * defineAdminJob is the variant for platform-admin jobs that run on the service path.
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

/** The form's result for a refusal: its message and the fields it concerns. */
function refused(err: WriteRefusal): ActionResult<never> {
  return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
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
      if (err instanceof WriteRefusal) return refused(err);
      const described = describeDbError(err);
      if (described) return { ok: false, error: described };
      console.error(`[action] unexpected error: ${errorDetail(err)}`);
      return { ok: false, error: "Something went wrong; nothing was changed." };
    }
  };
}

export interface AdminJobContext {
  user: SessionUser;
  /** SERVICE PATH, BYPASSES RLS: the database owner, outside the user's transaction. */
  serviceDb: Kysely<DB>;
}

export interface AdminJobDefinition<S extends z.ZodType, P, T> {
  schema: S;
  /** What a user is told when the database does not confirm that they are a platform admin. */
  refusal: string;
  /** A refusal that needs no database (e.g. "not in Supabase mode"), checked before the role. */
  refuse?: () => string | null;
  /**
   * Work done as the user under RLS, in their transaction, once the role is confirmed: at least
   * picking what the job needs from the input and the user, at most writes that only platform
   * admins pass (the LiteLLM import's inserts). What it returns is what `run` gets.
   */
  prepare: (input: z.infer<S>, ctx: ActionContext) => Promise<P>;
  /** The job itself, on the service path; its result goes to the form as it is. */
  run: (prepared: P, ctx: AdminJobContext) => Promise<ActionResult<T>>;
  /** An unexpected error in `run`: logged after `log`, answered with `result`. */
  failed: { log: string; result: (prepared: P) => ActionResult<T> };
  /** Paths revalidated when the answer is ok. */
  revalidate?: string[];
}

/**
 * A platform-admin job on the service path (users' grants cannot do it: auth.users, reprice_jobs,
 * every organization's feedback). Authorization runs through defineAction, under RLS: the app
 * refuses non-platform admins early and the database confirms the role (is_platform_admin() under
 * the user's claims). Only then does `run` get the service-role database, outside the user's
 * transaction (PGlite serves one session at a time). A WriteRefusal goes to the form; anything
 * else is logged with its stack and answered with `failed.result`.
 */
export function defineAdminJob<S extends z.ZodType, P, T>(def: AdminJobDefinition<S, P, T>) {
  const authorize = defineAction({
    schema: def.schema,
    allow: (user) => user.isPlatformAdmin,
    run: async (input, ctx) => {
      const early = def.refuse?.();
      if (early) throw new WriteRefusal(early);
      if (!(await isPlatformAdmin(ctx.tx))) throw new WriteRefusal(def.refusal);
      return { prepared: await def.prepare(input, ctx), user: ctx.user };
    },
  });
  return async function adminJob(input: unknown): Promise<ActionResult<T>> {
    const allowed = await authorize(input);
    if (!allowed.ok) return allowed;
    const { prepared, user } = allowed.data;
    let result: ActionResult<T>;
    try {
      result = await def.run(prepared, { user, serviceDb: await serviceDb() });
    } catch (err) {
      if (err instanceof WriteRefusal) return refused(err);
      console.error(`[action] ${def.failed.log}: ${errorDetail(err)}`);
      result = def.failed.result(prepared);
    }
    if (result.ok) for (const path of def.revalidate ?? []) revalidatePath(path);
    return result;
  };
}
