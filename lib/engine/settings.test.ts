import { describe, expect, it } from "vitest";
import {
  getBool,
  getJson,
  getNumber,
  getSetting,
  getString,
  readBool,
  readNumber,
  SETTING_DEFAULTS,
} from "@/lib/engine/settings";
import { demoSnapshot, id, setting } from "@/tests/helpers/engine/snapshot";

const WVC = { appId: id.app("werkbon-checker"), organizationId: id.org("wvc") };
const ACME = { appId: id.app("werkbon-checker"), organizationId: id.org("acme") };

describe("getSetting precedence (resolve_app_config)", () => {
  const snap = demoSnapshot((d) => {
    d.settings.push(
      setting("max_batch_size", "app", "int", 50, { app: "werkbon-checker" }),
      setting("max_batch_size", "organization", "int", 25, { org: "wvc" }),
      setting("max_batch_size", "organization", "int", 10, { org: "wvc", app: "werkbon-checker" }),
    );
  });

  it.each([
    ["organization + app", WVC, 10, "organization"],
    ["organization, another app", { appId: id.app("student-assistant"), organizationId: id.org("wvc") }, 25, "organization"],
    ["app", ACME, 50, "app"],
    ["global", { appId: id.app("student-assistant"), organizationId: id.org("acme") }, 100, "global"],
    ["global without context", {}, 100, "global"],
  ])("%s", (_name, ctx, value, scope) => {
    const s = getSetting(snap, "max_batch_size", ctx);
    expect(s.value).toBe(value);
    expect(s.source.scope).toBe(scope);
    expect(getNumber(snap, "max_batch_size", ctx)).toBe(value);
  });

  it("reports the row that decided, for the simulator", () => {
    expect(readNumber(snap, "confidence_threshold", WVC)).toEqual({
      value: 0.9,
      source: { scope: "organization", id: "setting:confidence_threshold:organization:wvc:", appId: null, organizationId: id.org("wvc") },
    });
    expect(readNumber(snap, "confidence_threshold", ACME).value).toBe(0.85);
  });

  it("never applies another organization's row", () => {
    expect(getNumber(snap, "max_batch_size", { appId: id.app("werkbon-checker"), organizationId: id.org("globex") })).toBe(50);
  });
});

describe("defaults", () => {
  it("are safe when the database was never reachable (snapshot null)", () => {
    expect(getBool(null, "routing.enabled", WVC)).toBe(true);
    expect(getBool(null, "learning.enabled", WVC)).toBe(false);
    expect(getString(null, "learning.min_confidence", WVC)).toBe("high");
    expect(getNumber(null, "confidence_threshold", WVC)).toBe(0.85);
    expect(getNumber(null, "max_batch_size", WVC)).toBe(100);
    expect(getString(null, "routing.global_fallback_model", WVC)).toBeNull();
    expect(getBool(null, "logging.store_prompts", WVC)).toBe(false);
    expect(getBool(null, "feature_quick_classification", WVC)).toBe(true);
    expect(getJson(null, "budget.alert_thresholds", WVC)).toEqual([80, 100]);
    expect(readBool(null, "routing.enabled", WVC).source).toEqual({ scope: "default", id: null, appId: null, organizationId: null });
  });

  it("default unknown feature flags on and other unknown flags off, unless a fallback is given", () => {
    expect(getBool(null, "feature_new_dashboard", {})).toBe(true);
    expect(getBool(null, "some.flag", {})).toBe(false);
    expect(getBool(null, "some.flag", {}, true)).toBe(true);
    expect(getNumber(null, "some.number", {}, 7)).toBe(7);
    expect(getString(null, "some.string", {})).toBeNull();
  });

  it("keeps SETTING_DEFAULTS in the shapes the accessors expect", () => {
    expect(SETTING_DEFAULTS["routing.enabled"]).toBe(true);
    expect(SETTING_DEFAULTS["learning.enabled"]).toBe(false);
  });
});

describe("typed accessors never throw on a wrong type", () => {
  it.each([
    ["a string where a bool belongs", setting("routing.enabled", "global", "string", "false")],
    ["a bool typed row holding a string", setting("routing.enabled", "global", "bool", "no")],
  ])("%s falls back to the default", (_name, row) => {
    const snap = demoSnapshot((d) => {
      d.settings = d.settings.filter((s) => s.key !== row.key);
      d.settings.push(row);
    });
    const r = readBool(snap, "routing.enabled", {});
    expect(r.value).toBe(true);
    expect(r.source.scope).toBe("default");
    expect(r.source.ignored).toContain(row.id);
  });

  it("rejects a float for an int setting, NaN, and a number stored as a string", () => {
    const snap = demoSnapshot((d) => {
      d.settings = d.settings.filter((s) => s.key !== "max_batch_size" && s.key !== "confidence_threshold");
      d.settings.push(setting("max_batch_size", "global", "int", 2.5), setting("confidence_threshold", "global", "float", "0.5"));
    });
    expect(getNumber(snap, "max_batch_size", {})).toBe(100);
    expect(getNumber(snap, "confidence_threshold", {})).toBe(0.85);
    expect(getString(snap, "max_batch_size", {}, "x")).toBe("x");
  });

  it("reads json only from json rows", () => {
    const snap = demoSnapshot((d) => {
      d.settings.push(setting("budget.alert_thresholds", "global", "json", [50, 90]));
    });
    expect(getJson(snap, "budget.alert_thresholds", {})).toEqual([50, 90]);
    expect(getJson(snap, "routing.enabled", {}, "fb")).toBe("fb");
  });
});
