import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, requestIsHttps } from "./client-address";

const h = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("uses the socket address server.ts stamped, whatever X-Forwarded-For claims, without a trusted proxy", () => {
    const headers = h({ [CLIENT_ADDRESS_HEADER]: "203.0.113.9", "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" });
    expect(clientAddress(headers, 0)).toBe("203.0.113.9");
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "::ffff:127.0.0.1" }), 0)).toBe("::ffff:127.0.0.1");
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "unknown" }), 0)).toBe("unknown");
  });

  it.each([
    ["one hop: the right-most entry", "6.6.6.6, 203.0.113.9", 1, "203.0.113.9"],
    ["one hop: client-written entries to the left are ignored", "1.1.1.1, 2.2.2.2, 203.0.113.9", 1, "203.0.113.9"],
    ["two hops: the second from the right", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"],
    ["more hops than entries: the left-most", "203.0.113.9", 3, "203.0.113.9"],
    ["IPv6 in brackets", "[2001:DB8::1]", 1, "2001:db8::1"],
  ])("behind a trusted proxy, %s", (_name, xff, hops, expected) => {
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": xff }), hops)).toBe(expected);
  });

  it("falls back to the socket (the proxy) when the trusted hop is missing or not an address", () => {
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "10.0.0.1" }), 1)).toBe("10.0.0.1");
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "evil.example" }), 1)).toBe("10.0.0.1");
    expect(clientAddress(h({ [CLIENT_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "1.1.1.1, <script>" }), 1)).toBe("10.0.0.1");
  });

  it("under next dev (no server.ts) takes what Next forwards", () => {
    expect(clientAddress(h({ "x-forwarded-for": "::1" }), 0)).toBe("::1");
    expect(clientAddress(h({}), 0)).toBe("unknown");
  });
});

describe("requestIsHttps", () => {
  it("ignores a client-sent X-Forwarded-Proto without a trusted proxy", () => {
    expect(requestIsHttps(h({ "x-forwarded-proto": "https" }), 0)).toBe(false);
  });

  it("believes the trusted proxy's X-Forwarded-Proto", () => {
    expect(requestIsHttps(h({ "x-forwarded-proto": "https" }), 1)).toBe(true);
    expect(requestIsHttps(h({ "x-forwarded-proto": "http" }), 1)).toBe(false);
    expect(requestIsHttps(h({ "x-forwarded-proto": "https, http" }), 1)).toBe(false);
    expect(requestIsHttps(h({}), 1)).toBe(false);
  });
});
