import { describe, expect, it } from "vitest";
import { embeddingInputs, embeddingsSchema, inputProblem, MAX_EMBEDDING_INPUTS } from "@/lib/schemas/embeddings-request";
import { describeIssue } from "@/lib/schemas/llm-request";

function problem(body: Record<string, unknown>): { message: string; param: string | null } | null {
  const r = embeddingsSchema.safeParse(body);
  return r.success ? null : describeIssue(r.error);
}

describe("the embeddings request", () => {
  it.each([
    ["a string", "hello"],
    ["strings", ["a", "b"]],
    ["a token array", [1, 2, 3]],
    ["token arrays", [[1], [2, 3]]],
    [`${MAX_EMBEDDING_INPUTS} strings`, Array(MAX_EMBEDDING_INPUTS).fill("a")],
  ])("takes %s", (_name, input) => {
    expect(problem({ model: "m", input, encoding_format: "base64", dimensions: 256, user: "u", metadata: { action: "x" } })).toBeNull();
  });

  it.each([
    ["an empty string", "", "input: must not be an empty string"],
    ["an empty list", [], "input: must not be empty"],
    ["an empty string in a list", ["a", ""], "input: item 1 must not be an empty string"],
    ["a non-string item", ["a", 3], "input: item 1 must be a string, as item 0 is"],
    ["an object", { text: "a" }, "input: must be a string, an array of strings, an array of token ids or an array of token-id arrays"],
    ["a negative token", [1, -1], "input: item 1 must be a token id (a non-negative integer), as the other items are"],
    ["an empty token array", [[1], []], "input: item 1 must not be an empty token array"],
    ["too many inputs", Array(MAX_EMBEDDING_INPUTS + 1).fill("a"), `input: has ${MAX_EMBEDDING_INPUTS + 1} items; at most ${MAX_EMBEDDING_INPUTS} per request`],
  ])("refuses %s naming input", (_name, input, message) => {
    expect(problem({ model: "m", input })).toEqual({ message, param: "input" });
  });

  it("requires input and names it", () => {
    expect(inputProblem(undefined)).toBe("is required");
    expect(problem({ model: "m" })?.param).toBe("input");
  });

  it("refuses fields the embeddings request does not have, naming them", () => {
    expect(problem({ model: "m", input: "a", temperature: 0.2 })).toEqual({ message: "temperature: is not a field of the embeddings request; remove it", param: "temperature" });
    expect(problem({ model: "m", input: "a", encoding_format: "int8" })?.param).toBe("encoding_format");
    expect(problem({ model: "m", input: "a", dimensions: 0 })?.param).toBe("dimensions");
  });

  it("lists the inputs one by one", () => {
    expect(embeddingInputs("a")).toEqual(["a"]);
    expect(embeddingInputs([1, 2])).toEqual([[1, 2]]);
    expect(embeddingInputs([[1], [2]])).toEqual([[1], [2]]);
  });
});
