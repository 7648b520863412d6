import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { DEMO_USERS, apiKeyRecord, generatePassword, hashPasswordForUsers } from "./users";

describe("generatePassword", () => {
  it("is four readable groups of four, without look-alike characters", () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
    expect(password.length).toBeGreaterThanOrEqual(8); // DEMO_PASSWORD's own minimum
  });

  it("differs on every call", () => {
    expect(new Set(Array.from({ length: 50 }, generatePassword)).size).toBe(50);
  });
});

describe("apiKeyRecord", () => {
  it("keeps a 12-character prefix and the sha-256 hex of the whole key", () => {
    const key = "llmcp_demo_0123456789abcdef";
    expect(apiKeyRecord(key)).toEqual({ prefix: "llmcp_demo_0", keyHash: createHash("sha256").update(key).digest("hex") });
  });
});

describe("hashPasswordForUsers", () => {
  it("gives each demo user an own-salted bcrypt hash of cost 10", async () => {
    const hashes = await hashPasswordForUsers("demo-password");
    expect(hashes).toHaveLength(DEMO_USERS.length);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const hash of hashes) {
      expect(hash).toMatch(/^\$2[aby]\$10\$/);
      expect(await bcrypt.compare("demo-password", hash)).toBe(true);
    }
  });
});
