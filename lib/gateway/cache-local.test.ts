import { describe, expect, it } from "vitest";
import { LocalCopies } from "./cache-local";

describe("response cache local copies", () => {
  it("serves a copy until its expiry, never after", () => {
    const local = new LocalCopies<string>();
    local.set("k", "answer", 1_000, 6);
    expect(local.get("k", 999)).toBe("answer");
    expect(local.get("k", 1_000)).toBeNull();
    expect(local.size).toBe(0);
  });

  it("stays within its entry and byte bounds, least recently used first", () => {
    const local = new LocalCopies<string>(2, 100);
    local.set("a", "A", 10_000, 10);
    local.set("b", "B", 10_000, 10);
    expect(local.get("a", 0)).toBe("A"); // a is now the most recently used
    local.set("c", "C", 10_000, 10);
    expect([local.get("a", 0), local.get("b", 0), local.get("c", 0)]).toEqual(["A", null, "C"]);
    local.set("big", "X", 10_000, 95);
    expect(local.size).toBe(1);
    expect(local.get("big", 0)).toBe("X");
    local.set("huge", "Y", 10_000, 101);
    expect(local.get("huge", 0)).toBeNull();
  });
});
