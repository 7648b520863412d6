import { describe, expect, it } from "vitest";
import { addMemberSchema, changeMemberRoleSchema, createLocalUserSchema, memberFilterSchema } from "./membership";

const ORG = "0a000000-0000-4000-8000-00000000000a";

describe("membership schemas", () => {
  it("normalises the email (trim, lower case) so lookups and duplicates match", () => {
    expect(addMemberSchema.parse({ email: "  Finance@Example.COM ", organizationId: ORG, role: "finance" })).toEqual({
      email: "finance@example.com",
      organizationId: ORG,
      role: "finance",
    });
    expect(createLocalUserSchema.parse({ email: "New.User@Example.com" }).email).toBe("new.user@example.com");
  });

  it.each([
    [{ email: "", organizationId: ORG, role: "viewer" }, "email", "Enter an email address."],
    [{ email: "not an email", organizationId: ORG, role: "viewer" }, "email", "Enter a valid email address."],
    [{ email: "a@b.co", organizationId: "acme", role: "viewer" }, "organizationId", "Choose an organization."],
    [{ email: "a@b.co", organizationId: ORG, role: "owner" }, "role", "Choose admin, finance or viewer."],
  ])("rejects %o on %s", (input, field, message) => {
    const parsed = addMemberSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });

  it("allows platform-wide (null) organizations in the schema; the database decides who may grant them", () => {
    expect(addMemberSchema.safeParse({ email: "a@b.co", organizationId: null, role: "admin" }).success).toBe(true);
    expect(changeMemberRoleSchema.safeParse({ id: "x", role: "admin" }).success).toBe(false);
  });

  it("reads the page filter leniently: an organization id, 'platform', or nothing", () => {
    expect(memberFilterSchema.parse(ORG)).toBe(ORG);
    expect(memberFilterSchema.parse("platform")).toBe("platform");
    expect(memberFilterSchema.parse(undefined)).toBeUndefined();
    expect(memberFilterSchema.parse("'; drop table memberships")).toBeUndefined();
    expect(memberFilterSchema.parse(["a", "b"])).toBeUndefined();
  });
});
