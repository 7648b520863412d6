import type { Membership, MembershipRole } from "@/lib/db/sessions";

const ROLE_NAMES: Record<MembershipRole, string> = { admin: "Admin", finance: "Finance", viewer: "Viewer" };

/** "Platform admin" for a platform-wide membership, "Finance · Acme Installations" otherwise. */
export function membershipLabel(m: Membership): string {
  if (m.organizationId === null) return `Platform ${ROLE_NAMES[m.role].toLowerCase()}`;
  return `${ROLE_NAMES[m.role]} · ${m.organizationName ?? m.organizationSlug ?? "Unknown organization"}`;
}

export function roleName(role: MembershipRole): string {
  return ROLE_NAMES[role];
}

/** Platform-wide memberships first, then by organization name, so the header shows the widest role. */
export function sortMemberships(memberships: readonly Membership[]): Membership[] {
  return [...memberships].sort((a, b) => {
    if ((a.organizationId === null) !== (b.organizationId === null)) return a.organizationId === null ? -1 : 1;
    return (a.organizationName ?? "").localeCompare(b.organizationName ?? "");
  });
}
