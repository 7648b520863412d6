import { describe, expect, it } from "vitest";
import { safeNextPath, signInSchema } from "./auth";

describe("safeNextPath", () => {
  it.each([
    [undefined, "/"],
    [null, "/"],
    ["", "/"],
    ["/", "/"],
    ["/costs", "/costs"],
    ["/costs?from=2026-01-01&org=acme", "/costs?from=2026-01-01&org=acme"],
    ["/calls/123#usage", "/calls/123#usage"],
    ["/costs?q=a%20b", "/costs?q=a%20b"],
    ["/login?next=/costs", "/"],
    ["/login/", "/"],
    // A path that merely spells a scheme stays a path on this origin.
    ["/javascript:alert(1)", "/javascript:alert(1)"],
  ])("keeps same-origin paths: %s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  // Each of these, used as a redirect target, sends a browser to another host (or runs script).
  it.each([
    ["protocol-relative", "//evil.example/path"],
    ["protocol-relative, three slashes", "///evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash, both", "\\\\evil.example"],
    ["tab after the slash (/%09/ decoded by the query string)", "/\t/evil.example"],
    ["newline after the slash", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["tab still encoded", "/%09/evil.example"],
    ["newline still encoded", "/%0a/evil.example"],
    ["encoded slash", "/%2fevil.example"],
    ["encoded backslash", "/%5cevil.example"],
    ["encoded slash, upper case", "/%2Fevil.example"],
    ["malformed escape", "/%E0%A4%A"],
    ["absolute https", "https://evil.example/"],
    ["absolute http", "http://evil.example"],
    ["absolute to our own look-alike", "https://llmcp.invalid.evil.example/"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["relative without slash", "evil.example"],
    ["userinfo", "//user@evil.example"],
    ["leading space", " /costs"],
  ])("refuses %s", (_name, input) => {
    expect(safeNextPath(input)).toBe("/");
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
