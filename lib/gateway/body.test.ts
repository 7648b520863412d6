import { describe, expect, it } from "vitest";
import { chatCompletionSchema } from "@/lib/schemas/llm-request";
import { MAX_JSON_DEPTH, nestingExceeds, readJson } from "./body";
import { gatewayErrorOf } from "@/tests/helpers/gateway-error";

function req(body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://localhost/api", { method: "POST", body, headers });
}

describe("readJson", () => {
  it("parses a valid chat completion body and keeps unknown fields", async () => {
    const body = await readJson(req(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], logprobs: true })), chatCompletionSchema);
    expect(body.model).toBe("auto");
    expect(body.logprobs).toBe(true);
  });

  it.each([
    ["malformed JSON", req("{"), 400, /not valid JSON/],
    ["an empty body", req(""), 400, /empty/],
    ["a JSON array", req("[]"), 400, /JSON object/],
    ["no messages", req(JSON.stringify({ model: "auto", messages: [] })), 400, /^messages: /],
    ["a wrong type", req(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x" }], temperature: "hot" })), 400, /^temperature: /],
    ["an unknown role", req(JSON.stringify({ model: "auto", messages: [{ role: "robot", content: "x" }] })), 400, /^messages\.0\.role: /],
    ["n > 8", req(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x" }], n: 9 })), 400, /n may be at most 8/],
    ["a text content type", req("{}", { "content-type": "text/plain" }), 415, /application\/json/],
    ["a declared oversize body", req("{}", { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) }), 413, /larger than/],
  ])("refuses %s with %i", async (_case, request, status, message) => {
    const err = await gatewayErrorOf(readJson(request, chatCompletionSchema));
    expect(err.status).toBe(status);
    expect(err.message).toMatch(message);
  });

  it("refuses a body that grows past the limit while it is read", async () => {
    const big = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x".repeat(2048) }] });
    const err = await gatewayErrorOf(readJson(req(big), chatCompletionSchema, 1024));
    expect(err.status).toBe(413);
  });

  it("refuses JSON nested deeper than the limit with a 400 that names the limit, before parsing it", async () => {
    const deep = `{"model":"auto","messages":[{"role":"user","content":"x"}],"x":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    const err = await gatewayErrorOf(readJson(req(deep), chatCompletionSchema));
    expect(err.status).toBe(400);
    expect(err.type).toBe("invalid_request_error");
    expect(err.message).toContain(`${MAX_JSON_DEPTH} levels`);
  });

  it("accepts nesting up to the limit", async () => {
    const depth = MAX_JSON_DEPTH - 2; // the body object and the field's own object count too
    const nested = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const body = await readJson(req(`{"model":"auto","messages":[{"role":"user","content":"x"}],"x":${nested}}`), chatCompletionSchema);
    expect(body.x).toBeTypeOf("object");
  });
});

describe("nestingExceeds", () => {
  it.each([
    ["flat", '{"a":[1,2,{"b":3}]}', 3, false],
    ["one level too deep", '{"a":[1,2,{"b":[]}]}', 3, true],
    ["brackets inside strings do not count", `{"a":"${"[{".repeat(50)}"}`, 2, false],
    ["escaped quotes keep the string open", `{"a":"\\"[[[[\\"","b":1}`, 1, false],
    ["an escaped backslash closes the string", `{"a":"\\\\",${"[".repeat(3)}`, 3, true],
    ["a quote preceded by an even run of backslashes ends the string", String.raw`{"a":"x\\"}`, 1, false],
    ["an unterminated string is left to JSON.parse", '{"a":"[[[[', 1, false],
  ])("%s", (_name, text, max, expected) => {
    expect(nestingExceeds(text, max)).toBe(expected);
  });
});
