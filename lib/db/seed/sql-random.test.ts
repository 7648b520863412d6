import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { uniformFromMd5, uniformSql } from "./sql-random";

describe("uniformFromMd5", () => {
  it("reads 32 bits per slot as a fraction of 2^32", () => {
    const hex = "00000000ffffffff8000000000000001";
    expect(uniformFromMd5(hex, 0)).toBe(0);
    expect(uniformFromMd5(hex, 1)).toBe(4294967295 / 4294967296);
    expect(uniformFromMd5(hex, 2)).toBe(0.5);
    expect(uniformFromMd5(hex, 3)).toBe(1 / 4294967296);
  });

  it("stays in [0, 1) and is roughly uniform over many hashes", () => {
    let sum = 0;
    for (let i = 0; i < 2000; i++) {
      const u = uniformFromMd5(createHash("md5").update(String(i)).digest("hex"), (i % 4) as 0 | 1 | 2 | 3);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(sum / 2000).toBeGreaterThan(0.45);
    expect(sum / 2000).toBeLessThan(0.55);
  });

  it("rejects anything but an md5 hex digest", () => {
    expect(() => uniformFromMd5("xyz", 0)).toThrow();
  });
});

describe("uniformSql", () => {
  it("carves the slot's 8 hex digits from the expression", () => {
    expect(uniformSql("h", 2)).toBe("(('x' || substr(h, 17, 8))::bit(32)::bigint::float8 / 4294967296)");
  });
});
