import { describe, expect, it } from "vitest";
import { modelIdOf } from "./handlers/models";
import { GATEWAY_PREFIX_ROUTES, GATEWAY_ROUTES, NEXT_ROUTES, allNotFound, findRoute, isGatewayPath, notAllowed } from "./routes";

describe("gateway route table", () => {
  it("keeps the node:http routes and the Next-only routes apart, all under /api/llm", () => {
    for (const path of [...Object.keys(GATEWAY_ROUTES), ...Object.keys(NEXT_ROUTES)]) expect(isGatewayPath(path)).toBe(true);
    for (const path of Object.keys(NEXT_ROUTES)) expect(GATEWAY_ROUTES[path]).toBeUndefined();
    expect(isGatewayPath("/api/llmx")).toBe(false);
    expect(isGatewayPath("/dashboard")).toBe(false);
  });

  it("answers a method a route lacks with 405, the Allow header and the OpenAI error shape", async () => {
    const res = notAllowed(["POST"]).DELETE(new Request("http://localhost/api/llm/generate", { method: "DELETE" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      error: { type: "invalid_request_error", code: "invalid_request_error", param: null, message: "Method DELETE is not allowed on /api/llm/generate; use POST." },
    });
  });

  it("answers an unknown path with 404 not_found_error", async () => {
    const res = allNotFound().GET(new Request("http://localhost/api/llm/v1/nope?x=1"));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringContaining("GET /api/llm/v1/nope") } });
  });
});

describe("prefix routes, dialects and unsupported endpoints", () => {
  it("finds /v1/models/{id} for ids with and without slashes, never for the bare prefix", () => {
    expect(findRoute("/api/llm/v1/models")).toBe(GATEWAY_ROUTES["/api/llm/v1/models"]);
    expect(findRoute("/api/llm/v1/models/auto")).toBe(GATEWAY_PREFIX_ROUTES["/api/llm/v1/models/"]);
    expect(findRoute("/api/llm/v1/models/meta-llama/llama-3.3-70b-instruct")).toBe(GATEWAY_PREFIX_ROUTES["/api/llm/v1/models/"]);
    expect(findRoute("/api/llm/v1/models/")).toBeUndefined();
    expect(findRoute("/api/llm/v1/modelsx")).toBeUndefined();
  });

  it("reads the model id raw or percent-encoded, and refuses an empty or malformed one", () => {
    expect(modelIdOf("http://x/api/llm/v1/models/mistral/mistral-small")).toBe("mistral/mistral-small");
    expect(modelIdOf("http://x/api/llm/v1/models/mistral%2Fmistral-small?x=1")).toBe("mistral/mistral-small");
    expect(modelIdOf("http://x/api/llm/v1/models/%E0%A4%A")).toBeNull();
    expect(modelIdOf("http://x/api/llm/v1/models/")).toBeNull();
  });

  it("answers an Anthropic client's unknown path in Anthropic's shape, with a hint about the base URL", async () => {
    const res = allNotFound().POST(new Request("http://localhost/api/llm/v1/v1/messages", { method: "POST", headers: { "anthropic-version": "2023-06-01" } }));
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ type: "error", error: { type: "not_found_error", message: expect.stringContaining("set the base URL to <origin>/api/llm") } });
    expect(body.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("says legacy completions are not supported and to use chat completions", async () => {
    const res = allNotFound().POST(new Request("http://localhost/api/llm/v1/completions", { method: "POST" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringMatching(/not supported.*\/api\/llm\/v1\/chat\/completions/) } });
  });
});
