import type { z } from "zod";
import { describeIssue } from "@/lib/schemas/llm-request";
import { GatewayError } from "./errors";
import type { GatewayRequest } from "./wire";

/** Largest request body accepted (a long prompt with attachments inline stays well under it). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Deepest nesting of objects and arrays accepted. Real requests (tool and response_format JSON
 * schemas included) stay far below it; a 400 KB body nested 200,000 levels parses, but every
 * recursive step after it (validation, JSON.stringify of the upstream body) may overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads and validates a JSON body: 413 over the size limit (checked while reading, not after),
 * 415 for a non-JSON content type, 400 for malformed JSON, JSON nested deeper than
 * MAX_JSON_DEPTH, or a body that fails the schema.
 */
export async function readJson<S extends z.ZodType>(request: GatewayRequest, schema: S, maxBytes = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const type = request.headers.get("content-type");
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new GatewayError(415, "invalid_request_error", `Content-Type must be application/json, not ${type.slice(0, 80)}.`);
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readText(request, maxBytes);
  if (text.trim() === "") throw new GatewayError(400, "invalid_request_error", "The request body is empty; send a JSON object.");
  if (nestingExceeds(text, MAX_JSON_DEPTH)) {
    throw new GatewayError(400, "invalid_request_error", `The request body is nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays); flatten it.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof SyntaxError ? `: ${err.message}` : "";
    throw new GatewayError(400, "invalid_request_error", `The request body is not valid JSON${detail}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GatewayError(400, "invalid_request_error", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.error);
    throw new GatewayError(400, "invalid_request_error", message, { param });
  }
  return parsed.data;
}

/**
 * Whether JSON text nests objects/arrays deeper than `max`: one linear scan that skips string
 * contents (and escaped quotes inside them), run before JSON.parse so a hostile body costs one
 * pass over its bytes. Malformed text is left for JSON.parse to report.
 */
export function nestingExceeds(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the closing quote: the next quote not preceded by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError(413, "request_too_large", `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`);
}

/**
 * Bodies the node:http server already read whole (node-adapter.ts), by request: gathering node's
 * stream into a Buffer costs far less than wrapping it as a web stream (Readable.toWeb), and every
 * body here is read whole anyway. A body stopped at the size limit keeps the bytes past it, so the
 * 413 is still decided below, the same way for both servers.
 */
const preread = new WeakMap<GatewayRequest, Buffer>();

export function attachBody(request: GatewayRequest, body: Buffer): void {
  preread.set(request, body);
}

async function readText(request: GatewayRequest, maxBytes: number): Promise<string> {
  const pre = preread.get(request);
  if (pre) {
    if (pre.byteLength > maxBytes) throw tooLarge(maxBytes);
    return pre.toString("utf8");
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
