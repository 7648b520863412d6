import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "@/lib/providers/openai-compatible/sse";

function parseAll(chunks: (string | Uint8Array)[]): SseEvent[] {
  const p = new SseParser();
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()];
}

const STREAM =
  ": OPENROUTER PROCESSING\n\n" +
  'data: {"choices":[{"delta":{"content":"héllo 👋"}}]}\r\n\r\n' +
  "event: message_delta\n" +
  'data: {"a":1}\n\n' +
  "data: line one\n" +
  "data: line two\n\n" +
  "data:no-space\r\r" +
  "data: [DONE]\n\n";

const EXPECTED: SseEvent[] = [
  { event: null, data: '{"choices":[{"delta":{"content":"héllo 👋"}}]}' },
  { event: "message_delta", data: '{"a":1}' },
  { event: null, data: "line one\nline two" },
  { event: null, data: "no-space" },
  { event: null, data: "[DONE]" },
];

describe("SseParser", () => {
  it("parses events, comments, named events, multi-line data and every line ending", () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it("gives the same events however the bytes are split, even inside a UTF-8 character or a CRLF", () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseAll([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(EXPECTED);
    }
    // And byte by byte.
    expect(parseAll(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it("ignores keep-alive comments and empty events", () => {
    expect(parseAll([": ping\n\n\n\n: another\n\n"])).toEqual([]);
  });

  it("delivers a final event that lacks the closing blank line, but drops a half-received line", () => {
    expect(parseAll(["data: [DONE]\n"])).toEqual([{ event: null, data: "[DONE]" }]);
    expect(parseAll(['data: {"choices":[{"del'])).toEqual([]);
  });

  it("treats a field without a colon as an empty value and ignores id and retry", () => {
    expect(parseAll(["id: 7\nretry: 100\ndata\n\n"])).toEqual([{ event: null, data: "" }]);
  });
});
