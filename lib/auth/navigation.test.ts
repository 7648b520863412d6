import { describe, expect, it } from "vitest";
import { canView, type NavViewer } from "./navigation";

const member = (role: "admin" | "finance" | "viewer"): NavViewer => ({
  isPlatformAdmin: false,
  memberships: [{ organizationId: "org", organizationName: "Org", organizationSlug: "org", role }],
});
const platform: NavViewer = { isPlatformAdmin: true, memberships: [{ organizationId: null, organizationName: null, organizationSlug: null, role: "admin" }] };

describe("finance navigation", () => {
  it.each([
    ["viewer", member("viewer"), true, false],
    ["finance", member("finance"), true, true],
    ["org admin", member("admin"), true, true],
    ["platform admin", platform, true, true],
  ])("%s: Savings %s, Budgets %s", (_name, viewer, savings, budgets) => {
    expect(canView(viewer, "/savings")).toBe(savings);
    expect(canView(viewer, "/budgets")).toBe(budgets);
  });
});
