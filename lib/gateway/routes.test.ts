import { describe, expect, it } from "vitest";
import { GATEWAY_ROUTES, NEXT_ROUTES, allNotFound, isGatewayPath, notAllowed } from "./routes";

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
