import { describe, expect, it } from "vitest";
import { diffRows } from "./audit";

describe("diffRows", () => {
  it("lists only the fields that changed in an update", () => {
    expect(diffRows({ id: "1", priority: 100, params: { t: 1 } }, { id: "1", priority: 200, params: { t: 1 } })).toEqual([
      { field: "priority", before: 100, after: 200 },
    ]);
  });

  it("lists every field of an insert or a delete, and compares nested values by content", () => {
    expect(diffRows(null, { b: 2, a: 1 }).map((c) => c.field)).toEqual(["a", "b"]);
    expect(diffRows({ a: 1 }, null)).toEqual([{ field: "a", before: 1, after: null }]);
    expect(diffRows({ f: ["x", "y"] }, { f: ["x", "y"] })).toEqual([]);
  });
});
