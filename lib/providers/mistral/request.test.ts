import { describe, expect, it } from "vitest";
import { mistralRequest } from "@/lib/providers/mistral";

describe("mistralRequest", () => {
  it("drops the fields Mistral rejects with a 422 and renames seed and max_completion_tokens", () => {
    const out = mistralRequest({
      model: "mistral-small-latest",
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      user: "u",
      seed: 3,
      max_completion_tokens: 10,
      temperature: 0.1,
    });
    expect(out).toEqual({ model: "mistral-small-latest", messages: [], stream: true, random_seed: 3, max_tokens: 10, temperature: 0.1 });
  });

  it("keeps an explicit max_tokens over max_completion_tokens", () => {
    expect(mistralRequest({ max_tokens: 5, max_completion_tokens: 10 })).toEqual({ max_tokens: 5 });
  });
});
