import { describe, expect, it } from "vitest";
import { withoutCacheHints } from "@/lib/providers/openai-compatible/cache-hints";

describe("withoutCacheHints", () => {
  it("takes cache_control off messages and content parts, nothing else", () => {
    const body = {
      model: "m",
      messages: [
        { role: "system", content: [{ type: "text", text: "policy", cache_control: { type: "ephemeral" } }] },
        { role: "user", content: "plain", cache_control: { type: "ephemeral" } },
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] },
      ],
    };
    expect(withoutCacheHints(body)).toEqual({
      model: "m",
      messages: [
        { role: "system", content: [{ type: "text", text: "policy" }] },
        { role: "user", content: "plain" },
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] },
      ],
    });
    expect(body.messages[0]).toHaveProperty("content.0.cache_control");
  });
  it("returns a body without hints as it is", () => {
    const body = { messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] };
    expect(withoutCacheHints(body)).toBe(body);
  });
});
