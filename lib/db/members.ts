import { sql, type Kysely } from "kysely";
import type { AddMemberInput, MemberFilter, MembershipRoleInput } from "@/lib/schemas/membership";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Memberships under RLS: platform admins see and manage every membership (and alone grant
 * platform-wide roles); org admins see and manage their organizations' memberships; everyone
 * sees their own. The lock-out guards (last platform admin, own last admin membership) are a
 * trigger in the database (migration 20261124000800), so every path is covered, not just this one.
 */

export interface MemberRow {
  id: string;
  userId: string;
  /** null when the profile is not visible (cannot happen for rows the viewer may manage). */
  email: string | null;
  displayName: string | null;
  organizationId: string | null;
  /** null = platform-wide membership. */
  organizationName: string | null;
  role: MembershipRoleInput;
  createdAt: string;
}

export interface MembersPageData {
  members: MemberRow[];
  /** Organizations visible to the user, for the filter and the add form. */
  organizations: { id: string; name: string }[];
}

export const NO_SUCH_USER = "No user with this email; they must sign in once or be created first.";
export const LAST_PLATFORM_ADMIN = "This is the last platform admin: make someone else a platform admin first.";
export const OWN_LAST_ADMIN = "You cannot remove or demote your own last admin membership: you would lock yourself out.";

export async function loadMembersPage(db: Database | Kysely<DB>, claims: JwtClaims, filter: MemberFilter = undefined): Promise<MembersPageData> {
  return withUser(db, claims, async (tx) => {
    let query = tx
      .selectFrom("memberships as m")
      .leftJoin("profiles as p", "p.id", "m.user_id")
      .leftJoin("organizations as o", "o.id", "m.organization_id")
      .select(["m.id", "m.user_id", "p.email", "p.display_name", "m.organization_id", "o.name as organization_name", "m.role", "m.created_at"])
      // Platform-wide rows first, then by organization and email.
      .orderBy((eb) => eb.case().when("m.organization_id", "is", null).then(0).else(1).end())
      .orderBy("o.name")
      .orderBy("p.email");
    // A view filter, not authorization: RLS has already limited the rows to what the user may see.
    if (filter === "platform") query = query.where("m.organization_id", "is", null);
    else if (filter) query = query.where("m.organization_id", "=", filter);
    const [members, organizations] = await Promise.all([
      query.execute(),
      tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
    ]);
    return {
      members: members.map((m) => ({
        id: m.id,
        userId: m.user_id,
        email: m.email,
        displayName: m.display_name,
        organizationId: m.organization_id,
        organizationName: m.organization_name,
        role: m.role,
        createdAt: m.created_at.toISOString(),
      })),
      organizations,
    };
  });
}

/** The lock-out guard and uniqueness refusals as messages for the form; anything else rethrown. */
function refusalOf(err: unknown, field: string): WriteRefusal | null {
  const { code, constraint } = (err ?? {}) as { code?: unknown; constraint?: unknown };
  if (code === "23514" && constraint === "memberships_last_platform_admin") return new WriteRefusal(LAST_PLATFORM_ADMIN, { [field]: [LAST_PLATFORM_ADMIN] });
  if (code === "23514" && constraint === "memberships_own_last_admin") return new WriteRefusal(OWN_LAST_ADMIN, { [field]: [OWN_LAST_ADMIN] });
  return null;
}

async function guarded<T>(field: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw refusalOf(err, field) ?? err;
  }
}

/**
 * Adds an existing user by email. The lookup refuses callers who administer nothing (42501); the
 * insert is checked by memberships_insert (org admins: their organizations only, never null).
 */
export async function addMember(tx: UserTx, input: AddMemberInput, actorId: string | null): Promise<{ id: string; userId: string }> {
  const { rows } = await sql<{ id: string | null }>`select public.user_id_for_email(${input.email}) as id`.execute(tx);
  const userId = rows[0]?.id ?? null;
  if (!userId) throw new WriteRefusal(NO_SUCH_USER, { email: [NO_SUCH_USER] });
  try {
    const row = await tx
      .insertInto("memberships")
      .values({ user_id: userId, organization_id: input.organizationId, role: input.role, created_by: actorId })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, userId };
  } catch (err) {
    if ((err as { code?: unknown }).code === "23505") {
      const where = input.organizationId === null ? "has a platform-wide membership" : "is already a member of this organization";
      const message = `${input.email} ${where}: change their role in the table instead.`;
      throw new WriteRefusal(message, { email: [message] });
    }
    throw err;
  }
}

/** Changes a role; 0 rows means RLS hid the membership (another organization's) or it is gone. */
export async function changeMemberRole(tx: UserTx, id: string, role: MembershipRoleInput): Promise<{ id: string }> {
  const result = await guarded("role", () => tx.updateTable("memberships").set({ role }).where("id", "=", id).executeTakeFirst());
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("Membership not found, or you may not change it.");
  return { id };
}

export async function removeMember(tx: UserTx, id: string): Promise<{ id: string }> {
  const result = await guarded("id", () => tx.deleteFrom("memberships").where("id", "=", id).executeTakeFirst());
  if (Number(result.numDeletedRows) === 0) throw new WriteRefusal("Membership not found, or you may not remove it.");
  return { id };
}
