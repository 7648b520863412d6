import { describe, expect, it } from "vitest";
import { isKnownAction, knownActionList } from "./known-actions";

describe("known actions", () => {
  const known = { declared: ["werkbon_classification", "summary"], seen: ["summary", "contract_draft"] };

  it("lists declared and seen actions once, sorted", () => {
    expect(knownActionList(known)).toEqual(["contract_draft", "summary", "werkbon_classification"]);
  });

  it.each([
    ["werkbon_classification", true],
    ["contract_draft", true],
    [" summary ", true],
    ["*", true],
    ["werkbon_clasification", false],
    ["", false],
  ])("%s is known: %s", (action, expected) => {
    expect(isKnownAction(action, known)).toBe(expected);
  });
});
