import { describe, expect, it } from "vitest";
import { findModelByCode, key2, key3, usableModel } from "@/lib/engine/snapshot";
import { cfgId, demoSnapshot, id, rule } from "@/tests/helpers/engine/snapshot";

describe("buildSnapshot", () => {
  const snap = demoSnapshot((d) => {
    d.configurations.push({ ...rule("student-assistant", null, "grade_essay", "gpt-4o-mini", [], 50), enabled: false });
    d.overrides.push(
      { id: "ov:on", appId: id.app("student-assistant"), actionType: "answer_question", queryPattern: "code", modelId: id.model("gpt-4o"), confidence: "high", samples: 40, active: true },
      { id: "ov:off", appId: id.app("student-assistant"), actionType: "answer_question", queryPattern: "chat", modelId: id.model("gpt-4o"), confidence: "high", samples: 40, active: false },
    );
  });

  it("indexes catalog rows by id, code and slug", () => {
    expect(snap.version).toBe(1);
    expect(snap.appsByCode.get("werkbon-checker")?.id).toBe(id.app("werkbon-checker"));
    expect(snap.organizationsBySlug.get("wvc")?.id).toBe(id.org("wvc"));
    expect(snap.providersByCode.get("mock")?.kind).toBe("mock");
    expect(snap.modelsByProviderCode.get(key2("openai", "gpt-4o"))?.id).toBe(id.model("gpt-4o"));
    expect(snap.modelsByCode.get("gpt-4o")?.map((m) => m.id)).toEqual([id.model("gpt-4o")]);
  });

  it("sorts prices by effective_from", () => {
    const list = snap.pricesByModel.get(id.model("mistral-small-latest")) ?? [];
    expect(list.map((p) => p.id)).toEqual(["price:mistral-small-latest:2024-01-01", "price:mistral-small-latest:cut"]);
  });

  it("merges exact and wildcard rules in candidate order and leaves disabled rules out", () => {
    const ids = (action: string) => (snap.configsByAppAction.get(key2(id.app("student-assistant"), action)) ?? []).map((c) => c.id);
    expect(ids("grade_essay")).toEqual([
      cfgId("student-assistant", "sandbox", "*", 200),
      cfgId("student-assistant", null, "grade_essay", 100),
      cfgId("student-assistant", null, "*", 100),
    ]);
    expect(ids("*")).toEqual([cfgId("student-assistant", "sandbox", "*", 200), cfgId("student-assistant", null, "*", 100)]);
    expect(ids("answer_question")).toEqual([]);
  });

  it("keeps only active learned overrides", () => {
    expect(snap.overridesByKey.get(key3(id.app("student-assistant"), "answer_question", "code"))?.id).toBe("ov:on");
    expect(snap.overridesByKey.has(key3(id.app("student-assistant"), "answer_question", "chat"))).toBe(false);
  });
});

describe("usableModel and findModelByCode", () => {
  it("explains why a model cannot be called", () => {
    const snap = demoSnapshot((d) => {
      const m = d.models.find((x) => x.modelCode === "gpt-4o");
      if (m) m.enabled = false;
      const p = d.providers.find((x) => x.code === "google");
      if (p) p.enabled = false;
    });
    expect(usableModel(snap, "model:none")).toBe("model model:none not found");
    expect(usableModel(snap, id.model("gpt-4o"))).toBe("model gpt-4o is disabled");
    expect(usableModel(snap, id.model("gemini-2.0-flash"))).toBe("provider google of gemini-2.0-flash is disabled");
    expect(typeof usableModel(snap, id.model("gpt-4o-mini"))).toBe("object");
  });

  it("finds by exact code, prefers a usable duplicate, and accepts provider/code", () => {
    const snap = demoSnapshot((d) => {
      d.models.push({ id: "model:mock/gpt-4o", providerId: id.provider("mock"), modelCode: "gpt-4o", displayName: "x", enabled: true });
      const real = d.models.find((x) => x.id === id.model("gpt-4o"));
      if (real) real.enabled = false;
    });
    expect(findModelByCode(snap, "gpt-4o")?.id).toBe("model:mock/gpt-4o");
    expect(findModelByCode(snap, "openai/gpt-4o")?.id).toBe(id.model("gpt-4o"));
    expect(findModelByCode(snap, "meta-llama/llama-3.3-70b-instruct")?.id).toBe(id.model("meta-llama/llama-3.3-70b-instruct"));
    expect(findModelByCode(snap, "nope")).toBeNull();
  });
});
