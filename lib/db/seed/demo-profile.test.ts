import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CALL_STREAMS, ERROR_KINDS, MODEL_PROFILES, cumulative } from "./demo-profile";

const seedSql = fs.readFileSync(path.join(import.meta.dirname, "../../../supabase/seed.sql"), "utf8");

describe("cumulative", () => {
  it("turns weights into contiguous [lo, hi) bounds ending exactly at 1", () => {
    const out = cumulative([{ weight: 1 }, { weight: 3 }, { weight: 0.1 + 0.2 }]);
    expect(out[0]).toMatchObject({ lo: 0, hi: 1 / 4.3 });
    for (let i = 1; i < out.length; i++) expect(out[i]?.lo).toBe(out[i - 1]?.hi);
    expect(out.at(-1)?.hi).toBe(1);
  });

  it.each([[[]], [[{ weight: 0 }]], [[{ weight: Number.NaN }]]])("refuses weights that add up to nothing: %j", (items) => {
    expect(() => cumulative(items)).toThrow(/weights/);
  });
});

describe("traffic profile", () => {
  it("gives every stream mixes whose weights add up to 1", () => {
    for (const stream of CALL_STREAMS) {
      const total = stream.mixes.reduce((sum, m) => sum + m.weight, 0);
      expect(total, stream.id).toBeCloseTo(1, 9);
    }
    expect(ERROR_KINDS.reduce((sum, e) => sum + e.weight, 0)).toBeCloseTo(1, 9);
  });

  it("uses unique stream ids and only apps and organizations that seed.sql creates", () => {
    expect(new Set(CALL_STREAMS.map((s) => s.id)).size).toBe(CALL_STREAMS.length);
    for (const stream of CALL_STREAMS) {
      expect(seedSql, stream.app).toContain(`('${stream.app}'`);
      if (stream.org) expect(seedSql, stream.org).toContain(`('${stream.org}'`);
    }
  });

  it("has a latency and quality profile for every catalog model and every explicit model", () => {
    // Chat models only: the synthetic traffic has no embedding calls (kind 'embedding' rows).
    const catalog = [...seedSql.matchAll(/\('(?:anthropic|mistral|openai|google|openrouter|mock)', '([^']+)', '[^']+', \d+, \d+, 'chat'\)/g)].map((m) => m[1]);
    expect(catalog.length).toBeGreaterThanOrEqual(10);
    const profiled = new Set(MODEL_PROFILES.map((m) => m.code));
    for (const code of catalog) expect(profiled.has(code ?? ""), code).toBe(true);
    for (const stream of CALL_STREAMS) if (stream.model) expect(profiled.has(stream.model), stream.model).toBe(true);
  });

  it("marks an explicit model outside the catalog with its provider, and a fallback price only where needed", () => {
    for (const stream of CALL_STREAMS.filter((s) => s.model)) {
      const inCatalog = seedSql.includes(`'${stream.model}', '`);
      if (!inCatalog) expect(stream.provider, stream.id).toBeDefined();
      // A database price would win over the fallback price, so the model must have none.
      const priceRow = new RegExp(`\\('[a-z]+', '${(stream.model ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}', \\d`);
      if (stream.fallbackPrice) expect(seedSql).not.toMatch(priceRow);
    }
  });
});
