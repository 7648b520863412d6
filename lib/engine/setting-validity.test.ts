import { describe, expect, it } from "vitest";
import { settingProblem } from "./setting-validity";

describe("settingProblem", () => {
  it("accepts values that fit their type and bounds", () => {
    expect(settingProblem({ valueType: "float", value: 0.85, minValue: "0", maxValue: "1" })).toBeNull();
    expect(settingProblem({ valueType: "float", value: 1, minValue: "0", maxValue: "1" })).toBeNull();
    expect(settingProblem({ valueType: "int", value: 100, minValue: null, maxValue: null })).toBeNull();
    expect(settingProblem({ valueType: "int", value: -5 })).toBeNull();
    expect(settingProblem({ valueType: "bool", value: false })).toBeNull();
    expect(settingProblem({ valueType: "string", value: "" })).toBeNull();
    expect(settingProblem({ valueType: "json", value: [80, 100] })).toBeNull();
    expect(settingProblem({ valueType: "json", value: null })).toBeNull();
  });

  it("says why a value does not fit, with the bounds", () => {
    expect(settingProblem({ valueType: "float", value: 5, minValue: "0", maxValue: "1" })).toBe("holds 5, outside its bounds 0 … 1");
    expect(settingProblem({ valueType: "float", value: -0.5, minValue: "0", maxValue: null })).toBe("holds -0.5, outside its bounds 0 … +∞");
    expect(settingProblem({ valueType: "int", value: 2.5 })).toBe("holds 2.5, not a whole number");
    expect(settingProblem({ valueType: "int", value: "7" })).toBe('holds text "7", not a number');
    expect(settingProblem({ valueType: "float", value: null })).toBe("holds null, not a number");
    expect(settingProblem({ valueType: "bool", value: "yes" })).toBe('holds text "yes", not true or false');
    expect(settingProblem({ valueType: "string", value: { a: 1 } })).toBe("holds an object, not text");
    expect(settingProblem({ valueType: "string", value: [1] })).toBe("holds a list, not text");
  });
});
