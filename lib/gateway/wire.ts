/**
 * What a gateway handler takes and gives back, the same for both servers (routes.ts).
 *
 * A handler reads a GatewayRequest: the part of a web Request it uses. Next's route files pass
 * their Request as is; node-adapter.ts passes a plain object with the body already read
 * (body.ts), since building a web Request per call costs ~17 µs on the hot path.
 *
 * A handler answers a GatewayAnswer: a stream is a web Response; every other answer is a Reply,
 * status, headers and the complete body text. node-adapter.ts writes a Reply straight to node:http
 * (a Response would be built, then read back through its web stream: ~30 µs a call), and Next's
 * route files turn it into a Response with toResponse().
 */
export interface GatewayRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** Aborted when the client goes away before the answer has been sent. */
  readonly signal: AbortSignal;
  /** The body when it has not been read ahead (Next's Request); node-adapter.ts reads it ahead. */
  readonly body?: ReadableStream<Uint8Array> | null;
}

export class Reply {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
    /** Set on the gateway's own error answers (errors.ts): what dialect.ts re-states for Anthropic callers. */
    readonly errorMessage: string | null = null,
  ) {}

  static json(value: unknown, init: { status?: number; headers?: Record<string, string>; errorMessage?: string } = {}): Reply {
    return new Reply(init.status ?? 200, { "content-type": "application/json", ...init.headers }, JSON.stringify(value), init.errorMessage ?? null);
  }
}

export type GatewayAnswer = Reply | Response;

/** Sets a header on either kind of answer (the name in lower case, as node and Headers keep it). */
export function setAnswerHeader(answer: GatewayAnswer, name: string, value: string): void {
  if (answer instanceof Reply) answer.headers[name.toLowerCase()] = value;
  else answer.headers.set(name, value);
}

export function toResponse(answer: GatewayAnswer): Response {
  return answer instanceof Reply ? new Response(answer.body, { status: answer.status, headers: answer.headers }) : answer;
}
