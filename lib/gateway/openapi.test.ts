import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("openApiDocument", () => {
  const doc = openApiDocument();

  it("describes every gateway route", () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/llm/feedback",
      "/api/llm/generate",
      "/api/llm/health",
      "/api/llm/health/live",
      "/api/llm/health/ready",
      "/api/llm/openapi.json",
      "/api/llm/v1/chat/completions",
      "/api/llm/v1/embeddings",
      "/api/llm/v1/messages",
      "/api/llm/v1/models",
      "/api/llm/v1/models/{id}",
      "/api/llm/v1/responses",
      "/api/metrics",
    ]);
  });

  it("generates request bodies from the validation schemas", () => {
    const chat = doc.paths["/api/llm/v1/chat/completions"].post.requestBody.content["application/json"].schema as {
      required?: string[];
      properties?: Record<string, unknown>;
    };
    expect(chat.required).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(chat.properties).toHaveProperty("stream_options");
    const feedback = doc.paths["/api/llm/feedback"].post.requestBody.content["application/json"].schema;
    expect(feedback.properties?.quality_score).toMatchObject({ minimum: 1, maximum: 5 });
  });

  it("describes models/{id} with its path parameter, and both error shapes", () => {
    const get = doc.paths["/api/llm/v1/models/{id}"].get;
    expect(get.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    expect(Object.keys(get.responses).sort()).toEqual(["200", "401", "404"]);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(["AnthropicError", "Error"]);
  });

  it("describes the embeddings body, input spelled out", () => {
    const body = doc.paths["/api/llm/v1/embeddings"].post.requestBody.content["application/json"].schema as {
      required?: string[];
      properties?: Record<string, { oneOf?: unknown[]; enum?: string[] }>;
    };
    expect(body.required).toEqual(expect.arrayContaining(["model", "input"]));
    expect(body.properties?.input?.oneOf).toHaveLength(4);
    expect(body.properties?.encoding_format?.enum).toEqual(["float", "base64"]);
  });

  it("describes the Messages API: its body from the schema, errors in Anthropic's shape", () => {
    const post = doc.paths["/api/llm/v1/messages"].post;
    const body = post.requestBody.content["application/json"].schema as { required?: string[] };
    expect(body.required).toEqual(expect.arrayContaining(["model", "max_tokens", "messages"]));
    expect(post.responses["401"]?.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/AnthropicError" });
  });

  it("is serialisable JSON", () => {
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });
});
