import { describe, expect, it } from "vitest";
import { defaultRulePriority, PRIORITY_MAX } from "./llm-configuration";

describe("defaultRulePriority", () => {
  const org = "0d000000-0000-4000-8000-000000000001";

  it.each([
    ["a default", null, [100], 100],
    ["an override above the usual default", org, [100], 200],
    ["an override with no default yet", org, [], 200],
    ["an override above a default at 250", org, [100, 250], 350],
    ["an override capped at the maximum", org, [PRIORITY_MAX - 10], PRIORITY_MAX],
  ] as const)("%s starts at %#", (_name, organizationId, defaults, expected) => {
    expect(defaultRulePriority(organizationId, defaults)).toBe(expected);
  });

  it("starts an override above every default it overrides (below the cap)", () => {
    for (const highest of [0, 50, 100, 150, 199, 200, 500, 899]) {
      expect(defaultRulePriority(org, [highest])).toBeGreaterThan(highest);
    }
  });
});
