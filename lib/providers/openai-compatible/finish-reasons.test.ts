import { describe, expect, it } from "vitest";
import { mappedChoices, MISTRAL_FINISH_REASONS, OPENROUTER_FINISH_REASONS } from "@/lib/providers/openai-compatible/finish-reasons";

describe("mappedChoices", () => {
  it("maps the provider's own finish reasons to OpenAI's, leaving the rest of each choice", () => {
    const choices = [{ index: 0, finish_reason: "model_length", message: { content: "a" } }, { index: 1, finish_reason: "stop" }];
    expect(mappedChoices(choices, MISTRAL_FINISH_REASONS)).toEqual([{ index: 0, finish_reason: "length", message: { content: "a" } }, { index: 1, finish_reason: "stop" }]);
    expect(mappedChoices([{ finish_reason: "error" }], OPENROUTER_FINISH_REASONS)).toEqual([{ finish_reason: "length" }]);
  });
  it("answers null when nothing needs mapping (the body goes on as received)", () => {
    expect(mappedChoices([{ finish_reason: "stop" }, { finish_reason: null }], MISTRAL_FINISH_REASONS)).toBeNull();
    expect(mappedChoices([{ finish_reason: "model_length" }], undefined)).toBeNull();
    expect(mappedChoices([{ finish_reason: "toString" }], MISTRAL_FINISH_REASONS)).toBeNull();
  });
});
