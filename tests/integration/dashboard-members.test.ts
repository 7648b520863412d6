import bcrypt from "bcryptjs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import type { Database } from "@/lib/db/client";
import { addMember, changeMemberRole, LAST_PLATFORM_ADMIN, loadMembersPage, NO_SUCH_USER, OWN_LAST_ADMIN, removeMember } from "@/lib/db/members";
import { withUser } from "@/lib/db/rls";
import { resetEnvCache } from "@/lib/env";
import type { AddMemberInput } from "@/lib/schemas/membership";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/**
 * Members: the page's loader under RLS, and the real server actions (add, change role, remove,
 * create a local user) called as each fixture user, the way a forged request from the browser
 * would call them. The session and the database are the only things replaced: the session by
 * the fixture user's claims and memberships, getDb() by the test database.
 */

const state = vi.hoisted(() => ({ db: undefined as unknown, user: null as unknown }));
vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => state.user }));
vi.mock("@/lib/db/instance", () => ({ getDb: async () => state.db }));

const { addMemberAction } = await import("@/lib/actions/members/add-member");
const { changeMemberRoleAction } = await import("@/lib/actions/members/change-member-role");
const { removeMemberAction } = await import("@/lib/actions/members/remove-member");
const { createLocalUserAction } = await import("@/lib/actions/members/create-local-user");
const { verifyPassword } = await import("@/lib/auth/local-session");

describe.each(databaseTargets())("dashboard members on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);
  const m = ids.memberships;

  /** The session user the action wrapper sees, with memberships read as the database owner. */
  async function signInAs(user: FixtureUser): Promise<void> {
    const rows = await db.kysely.selectFrom("memberships").select(["organization_id", "role"]).where("user_id", "=", ids.users[user]).execute();
    const memberships = rows.map((r) => ({ organizationId: r.organization_id, organizationName: null, organizationSlug: null, role: r.role }));
    state.user = {
      id: ids.users[user],
      email: emailOf(user),
      claims: claimsFor(user),
      memberships,
      isPlatformAdmin: memberships.some((r) => r.organizationId === null && r.role === "admin"),
    } satisfies SessionUser;
  }
  const membership = (id: string) => db.kysely.selectFrom("memberships").select(["user_id", "organization_id", "role"]).where("id", "=", id).executeTakeFirst();
  const add = (change: Partial<AddMemberInput> = {}): AddMemberInput => ({ email: emailOf("outsider"), organizationId: ids.orgA, role: "viewer", ...change });

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    state.db = db;
  });
  afterEach(() => {
    state.user = null;
    vi.unstubAllEnvs();
    resetEnvCache();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("lists what RLS shows: everything for platform admins, their organization for org admins, own rows otherwise", async () => {
    const all = await loadMembersPage(db, claimsFor("platformAdmin"));
    expect(all.members.map((r) => r.id).sort()).toEqual(Object.values(m).sort());
    expect(all.members[0]).toMatchObject({ id: m.platformAdmin, organizationName: null, email: emailOf("platformAdmin"), role: "admin" });
    const a = await loadMembersPage(db, claimsFor("adminA"));
    expect(a.members.map((r) => r.email).sort()).toEqual([emailOf("adminA"), emailOf("financeA"), emailOf("viewerA")]);
    expect(a.members.every((r) => r.organizationName === "Org A")).toBe(true);
    expect((await loadMembersPage(db, claimsFor("adminB"))).members.map((r) => r.id).sort()).toEqual([m.viewerB, m.adminB].sort());
    expect((await loadMembersPage(db, claimsFor("viewerA"))).members.map((r) => r.id)).toEqual([m.viewerA]);
    expect((await loadMembersPage(db, claimsFor("outsider"))).members).toEqual([]);
    // The filter narrows the view; it never widens what RLS allows.
    expect((await loadMembersPage(db, claimsFor("platformAdmin"), "platform")).members.map((r) => r.id)).toEqual([m.platformAdmin]);
    expect((await loadMembersPage(db, claimsFor("platformAdmin"), ids.orgB)).members.map((r) => r.id).sort()).toEqual([m.viewerB, m.adminB].sort());
    expect((await loadMembersPage(db, claimsFor("adminA"), ids.orgB)).members).toEqual([]);
  });

  it.each([
    [{ email: "not-an-email" }, "email"],
    [{ email: "" }, "email"],
    [{ role: "owner" }, "role"],
    [{ organizationId: "acme" }, "organizationId"],
  ])("returns validation errors for %o on %s instead of throwing", async (change, field) => {
    await signInAs("platformAdmin");
    const result = await addMemberAction({ ...add(), ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("Check the highlighted fields.");
    expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
  });

  it("answers an unknown email with a field error", async () => {
    await signInAs("adminA");
    const result = await addMemberAction(add({ email: "nobody@rls.test" }));
    expect(result).toEqual({ ok: false, error: NO_SUCH_USER, fieldErrors: { email: [NO_SUCH_USER] } });
  });

  it("refuses forged calls from viewers and finance users (the database decides)", async () => {
    for (const user of ["viewerA", "financeA"] as const) {
      await signInAs(user);
      const added = await addMemberAction(add());
      expect(added).toMatchObject({ ok: false, error: "You don't have permission to make this change." });
      expect(await changeMemberRoleAction({ id: m.viewerA, role: "admin" })).toMatchObject({ ok: false, error: "Membership not found, or you may not change it." });
      expect(await removeMemberAction({ id: m.viewerA })).toMatchObject({ ok: false, error: "Membership not found, or you may not remove it." });
      // Not only the wrapper: the same writes under the user's claims are refused by RLS.
      expect(await outcome(() => as(user, (tx) => addMember(tx, add(), null)), "message")).toBe("42501");
    }
    expect(await membership(m.viewerA)).toMatchObject({ role: "viewer" });
    expect(await db.kysely.selectFrom("memberships").select("id").where("user_id", "=", ids.users.outsider).execute()).toEqual([]);
  });

  it("keeps an org admin of A out of B's and the platform's memberships, at the database", async () => {
    await signInAs("adminA");
    expect(await addMemberAction(add({ organizationId: ids.orgB }))).toMatchObject({ ok: false, error: "You don't have permission to make this change." });
    expect(await addMemberAction(add({ organizationId: null, role: "admin" }))).toMatchObject({ ok: false, error: "You don't have permission to make this change." });
    expect(await changeMemberRoleAction({ id: m.viewerB, role: "admin" })).toMatchObject({ ok: false });
    expect(await removeMemberAction({ id: m.adminB })).toMatchObject({ ok: false });
    expect(await removeMemberAction({ id: m.platformAdmin })).toMatchObject({ ok: false });
    // The same statements without the UI in between.
    expect(await outcome(() => as("adminA", (tx) => addMember(tx, add({ organizationId: ids.orgB }), null)), "message")).toBe("42501");
    expect(await outcome(() => as("adminA", (tx) => tx.updateTable("memberships").set({ organization_id: ids.orgB }).where("id", "=", m.viewerA).execute()), "message")).toBe("42501");
    expect(await outcome(() => as("adminA", (tx) => changeMemberRole(tx, m.viewerB, "admin")), "message")).toMatch(/^refused/);
    expect(await outcome(() => as("adminA", (tx) => removeMember(tx, m.viewerB)), "message")).toMatch(/^refused/);
    expect(await membership(m.viewerB)).toMatchObject({ organization_id: ids.orgB, role: "viewer" });
    expect(await membership(m.adminB)).toMatchObject({ role: "admin" });
    expect(await membership(m.viewerA)).toMatchObject({ organization_id: ids.orgA });
  });

  it("lets an org admin add, promote and remove a member of their organization; duplicates get a clear error", async () => {
    await signInAs("adminA");
    const added = await addMemberAction(add({ email: ` ${emailOf("viewerB").toUpperCase()} ` }));
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(await membership(added.data.id)).toEqual({ user_id: ids.users.viewerB, organization_id: ids.orgA, role: "viewer" });
    const duplicate = await addMemberAction(add({ email: emailOf("viewerB"), role: "finance" }));
    expect(duplicate).toMatchObject({ ok: false, fieldErrors: { email: [`${emailOf("viewerB")} is already a member of this organization: change their role in the table instead.`] } });
    expect(await changeMemberRoleAction({ id: added.data.id, role: "finance" })).toMatchObject({ ok: true });
    expect(await membership(added.data.id)).toMatchObject({ role: "finance" });
    // The audit trigger recorded it with the org admin as actor.
    const audit = await db.kysely.selectFrom("audit_log").select(["actor_email", "action"]).where("record_id", "=", added.data.id).orderBy("id").execute();
    expect(audit).toEqual([{ actor_email: emailOf("adminA"), action: "insert" }, { actor_email: emailOf("adminA"), action: "update" }]);
    expect(await removeMemberAction({ id: added.data.id })).toMatchObject({ ok: true });
    expect(await membership(added.data.id)).toBeUndefined();
  });

  it("refuses to remove or demote one's own last admin membership", async () => {
    await signInAs("adminA");
    for (const result of [await removeMemberAction({ id: m.adminA }), await changeMemberRoleAction({ id: m.adminA, role: "viewer" })]) {
      expect(result).toMatchObject({ ok: false, error: OWN_LAST_ADMIN });
    }
    expect(await membership(m.adminA)).toMatchObject({ role: "admin" });
  });

  it("never lets the last platform admin go, by any path; with two, one may demote the other but not both at once", async () => {
    await signInAs("platformAdmin");
    expect(await changeMemberRoleAction({ id: m.platformAdmin, role: "viewer" })).toMatchObject({ ok: false, error: LAST_PLATFORM_ADMIN, fieldErrors: { role: [LAST_PLATFORM_ADMIN] } });
    expect(await removeMemberAction({ id: m.platformAdmin })).toMatchObject({ ok: false, error: LAST_PLATFORM_ADMIN });
    // Not even the service role (a script, a cascade from deleting the user) gets past the trigger.
    expect(await outcome(() => db.kysely.deleteFrom("memberships").where("id", "=", m.platformAdmin).execute(), "message")).toBe("23514");
    expect(await outcome(() => db.kysely.deleteFrom("auth.users").where("id", "=", ids.users.platformAdmin).execute(), "message")).toBe("23514");

    const second = await addMemberAction(add({ organizationId: null, role: "admin" }));
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    // Self-removal stays refused while it is the user's only admin membership.
    expect(await removeMemberAction({ id: m.platformAdmin })).toMatchObject({ ok: false, error: OWN_LAST_ADMIN });
    // Two admins demoting each other at the same moment: the guard serialises them, one wins.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = outcome(() => as("platformAdmin", async (tx) => {
      await changeMemberRole(tx, second.data.id, "viewer");
      await gate;
    }), "message");
    await new Promise((r) => setTimeout(r, 50));
    const other = outcome(() => as("outsider", (tx) => changeMemberRole(tx, m.platformAdmin, "viewer")), "message");
    setTimeout(release, 200);
    // PostgreSQL: the second waits for the guard's lock, then finds no other platform admin.
    // PGlite (one session): it runs after the first commits, when RLS no longer lets it update.
    expect(await first).toBe("ok");
    expect(await other).toMatch(/^refused: /);
    expect(await membership(m.platformAdmin)).toMatchObject({ organization_id: null, role: "admin" });
    expect(await removeMemberAction({ id: second.data.id })).toMatchObject({ ok: true });
  });

  it("lets a platform admin create a local user once, with a password shown once that signs in", async () => {
    for (const user of ["adminA", "viewerA"] as const) {
      await signInAs(user);
      expect(await createLocalUserAction({ email: "new.person@rls.test" })).toMatchObject({ ok: false, error: "You don't have permission to make this change." });
    }
    await signInAs("platformAdmin");
    expect(await createLocalUserAction({ email: "nope" })).toMatchObject({ ok: false, fieldErrors: { email: ["Enter a valid email address."] } });
    const created = await createLocalUserAction({ email: "New.Person@rls.test" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data.email).toBe("new.person@rls.test");
    expect(created.data.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const row = await db.kysely.selectFrom("auth.users").select(["encrypted_password"]).where("id", "=", created.data.id).executeTakeFirstOrThrow();
    expect(row.encrypted_password).not.toContain(created.data.password);
    expect(await bcrypt.compare(created.data.password, row.encrypted_password ?? "")).toBe(true);
    expect(await verifyPassword("new.person@rls.test", created.data.password)).toEqual({ id: created.data.id, email: "new.person@rls.test" });
    expect(await db.kysely.selectFrom("profiles").select("email").where("id", "=", created.data.id).executeTakeFirst()).toEqual({ email: "new.person@rls.test" });
    expect(await createLocalUserAction({ email: "new.person@rls.test" })).toMatchObject({ ok: false, fieldErrors: { email: [expect.stringContaining("already exists")] } });
    // Now an existing user: an org admin can add them by email.
    await signInAs("adminA");
    expect(await addMemberAction(add({ email: "new.person@rls.test", role: "finance" }))).toMatchObject({ ok: true });
  });

  it("refuses to create local users in Supabase mode, where Supabase Auth owns auth.users", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://user:pw@127.0.0.1:1/none");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "https://example.supabase.co");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon-key");
    resetEnvCache();
    await signInAs("platformAdmin");
    const result = await createLocalUserAction({ email: "supabase.user@rls.test" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("Supabase Auth") });
    expect(await db.kysely.selectFrom("auth.users").select("id").where("email", "=", "supabase.user@rls.test").execute()).toEqual([]);
  });
});
