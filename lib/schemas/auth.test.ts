import { describe, expect, it } from "vitest";
import { safeNextPath, signInSchema } from "./auth";

describe("safeNextPath", () => {
  it.each([
    [undefined, "/"],
    ["", "/"],
    ["/costs", "/costs"],
    ["/costs?from=2026-01-01&org=acme", "/costs?from=2026-01-01&org=acme"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/login?next=/costs", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});

describe("signInSchema", () => {
  it("normalises the email", () => {
    const parsed = signInSchema.parse({ email: "  Admin@Example.COM ", password: "x" });
    expect(parsed.email).toBe("admin@example.com");
  });

  it.each([
    [{ email: "not-an-email", password: "x" }, "Enter a valid email address"],
    [{ email: "a@example.com", password: "" }, "Enter your password"],
    [{ email: "a@example.com" }, undefined],
  ])("refuses %j", (input, message) => {
    const result = signInSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (message) expect(result.error?.issues[0]?.message).toBe(message);
  });
});
