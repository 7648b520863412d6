import { describe, expect, it } from "vitest";
import { providerReadiness, readinessMark, readinessProblem } from "./provider-readiness";

describe("provider readiness", () => {
  const env = { OPENAI_API_KEY: "sk-test", EMPTY_API_KEY: "  " };

  it.each([
    [{ code: "openai", kind: "openai", enabled: true, apiKeyEnvVar: "OPENAI_API_KEY" }, true, null],
    [{ code: "mistral", kind: "mistral", enabled: true, apiKeyEnvVar: "MISTRAL_API_KEY" }, false, "provider mistral has no key (env var MISTRAL_API_KEY not set)"],
    [{ code: "blank", kind: "openai", enabled: true, apiKeyEnvVar: "EMPTY_API_KEY" }, false, "provider blank has no key (env var EMPTY_API_KEY not set)"],
    [{ code: "sandbox", kind: "mock", enabled: true, apiKeyEnvVar: null }, true, null],
    [{ code: "anthropic", kind: "anthropic", enabled: true, apiKeyEnvVar: null }, false, "provider anthropic has no key (no env var is named for it)"],
    [{ code: "openai", kind: "openai", enabled: false, apiKeyEnvVar: "OPENAI_API_KEY" }, false, "provider openai is disabled"],
  ])("%o → ready %s", (provider, ready, problem) => {
    const r = providerReadiness(provider, env);
    expect(r.ready).toBe(ready);
    expect(readinessProblem(r)).toBe(problem);
    expect(readinessMark(r) === null).toBe(ready);
  });

  it("never carries the key's value", () => {
    expect(JSON.stringify(providerReadiness({ code: "openai", kind: "openai", enabled: true, apiKeyEnvVar: "OPENAI_API_KEY" }, env))).not.toContain("sk-test");
  });
});
