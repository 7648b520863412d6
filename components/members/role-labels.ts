import type { MembershipRoleInput } from "@/lib/schemas/membership";

/** What each role may do, shown in the forms so nobody has to guess. */
export const ROLE_LABELS: Record<MembershipRoleInput, { label: string; hint: string }> = {
  admin: { label: "Admin", hint: "manages configuration, keys and members" },
  finance: { label: "Finance", hint: "reads cost, usage and feedback dashboards" },
  viewer: { label: "Viewer", hint: "reads dashboards, changes nothing" },
};

export const scopeName = (organizationName: string | null) => organizationName ?? "Platform";
