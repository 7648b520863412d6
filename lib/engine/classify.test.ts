import { describe, expect, it } from "vitest";
import { classifyQuery, scoreQuery } from "@/lib/engine/classify";
import { CLASSIFY_FIXTURES } from "@/tests/helpers/engine/classify-fixtures";

describe("classifyQuery", () => {
  it("has a fixture set of at least 60 examples covering every pattern", () => {
    expect(CLASSIFY_FIXTURES.length).toBeGreaterThanOrEqual(60);
    const patterns = new Set(CLASSIFY_FIXTURES.map((f) => f.expected));
    expect([...patterns].sort()).toEqual(
      ["analysis", "chat", "classification", "code", "creative", "extraction", "summarization", "translation"],
    );
  });

  it("labels at least 90% of the fixtures correctly", () => {
    const misses = CLASSIFY_FIXTURES.filter((f) => classifyQuery(f.text) !== f.expected);
    const accuracy = 1 - misses.length / CLASSIFY_FIXTURES.length;
    expect(accuracy, JSON.stringify(misses.map((m) => m.text))).toBeGreaterThanOrEqual(0.9);
  });

  it.each(CLASSIFY_FIXTURES.filter((f) => !f.ambiguous).map((f) => [f.expected, f.text] as const))(
    "%s: %s",
    (expected, text) => {
      expect(classifyQuery(text)).toBe(expected);
    },
  );

  it("is deterministic", () => {
    for (const f of CLASSIFY_FIXTURES) expect(classifyQuery(f.text)).toBe(classifyQuery(f.text));
  });

  it("treats code being translated between programming languages as code", () => {
    expect(classifyQuery("Translate this Java class to Kotlin")).toBe("code");
    expect(classifyQuery("Translate this letter to Dutch")).toBe("translation");
  });

  it("matches accented keywords without their accents", () => {
    expect(classifyQuery("ÜBERSETZE den Text ins Französische")).toBe("translation");
    expect(classifyQuery("Résumez l'article")).toBe("summarization");
  });

  it("bounds the text it scans but still sees an instruction at the end of a long prompt", () => {
    const filler = "De monteur heeft de installatie gecontroleerd. ".repeat(2000);
    expect(classifyQuery(`${filler}\n\nGeef een samenvatting van het bovenstaande.`)).toBe("summarization");
  });

  it("scores nothing for small talk", () => {
    expect(Object.values(scoreQuery("hello there")).every((s) => s === 0)).toBe(true);
    expect(classifyQuery("   ")).toBe("chat");
  });
});
