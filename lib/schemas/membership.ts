import { z } from "zod";

/** Memberships: a user's role in one organization, or platform-wide (organizationId null). */

export const MEMBERSHIP_ROLES = ["admin", "finance", "viewer"] as const;
export type MembershipRoleInput = (typeof MEMBERSHIP_ROLES)[number];

const role = z.enum(MEMBERSHIP_ROLES, { message: "Choose admin, finance or viewer." });
const email = z.string().trim().toLowerCase().min(1, "Enter an email address.").max(320, "At most 320 characters.").pipe(z.email({ message: "Enter a valid email address." }));

export const addMemberSchema = z.object({
  email,
  /** null = platform-wide (platform admins only; the database refuses it for anyone else). */
  organizationId: z.uuid({ message: "Choose an organization." }).nullable(),
  role,
});
export type AddMemberInput = z.infer<typeof addMemberSchema>;
export type AddMemberFormValues = z.input<typeof addMemberSchema>;

export const changeMemberRoleSchema = z.object({ id: z.uuid({ message: "Unknown membership." }), role });
export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleSchema>;

export const removeMemberSchema = z.object({ id: z.uuid({ message: "Unknown membership." }) });
export type RemoveMemberInput = z.infer<typeof removeMemberSchema>;

/** A new local (embedded / server mode) sign-in; the password is generated and shown once. */
export const createLocalUserSchema = z.object({ email });
export type CreateLocalUserInput = z.infer<typeof createLocalUserSchema>;

/** `?org=` on the Members page: an organization id, "platform" for platform-wide rows, or all. */
export const memberFilterSchema = z.union([z.uuid(), z.literal("platform")]).optional().catch(undefined);
export type MemberFilter = z.infer<typeof memberFilterSchema>;
