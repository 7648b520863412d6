/**
 * What a gateway handler takes and gives back, the same for both servers (routes.ts).
 *
 * A handler reads a GatewayRequest: the part of a web Request it uses. Next's route files pass
 * their Request as is; node-adapter.ts passes a plain object with the body already read
 * (body.ts), since building a web Request per call costs ~17 µs on the hot path.
 *
 * A handler answers a GatewayAnswer: a Reply (status, headers and the complete body text) or a
 * StreamReply (status, headers and the frames of a server-sent event stream, read one at a time).
 * node-adapter.ts writes both straight to node:http (a web Response would be built, then read
 * back through its web stream: ~30 µs a call, and two promise hops per streamed frame), and Next's
 * route files turn them into a Response with toResponse().
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

const encoder = new TextEncoder();

/**
 * A streamed answer: its frames (whole server-sent events as text, one per value of `source`,
 * written by `frame`) are read once, by node-adapter.ts or through toResponse()'s web stream.
 * whenDone() hooks run exactly once when the stream ends, fails or is cancelled, whether it was
 * ever read or not (a client that left before the first frame still frees its concurrency slot).
 */
export class StreamReply {
  private readonly hooks: (() => void)[] = [];
  private finished = false;
  private started = false;

  private constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    private readonly source: AsyncGenerator<unknown>,
    private readonly frame: (value: unknown) => string,
  ) {}

  /** `source`'s values, each written as one frame by `frame` (no generator in between). */
  static framed<T>(status: number, headers: Record<string, string>, source: AsyncGenerator<T>, frame: (value: T) => string): StreamReply {
    return new StreamReply(status, headers, source, frame as (value: unknown) => string);
  }

  /** Runs `hook` once the stream has ended, failed or been cancelled (at once if it has). */
  whenDone(hook: () => void): this {
    if (this.finished) hook();
    else this.hooks.push(hook);
    return this;
  }

  /** The next frame, or null once the stream has ended. A failure ends the stream and is thrown. */
  async next(): Promise<string | null> {
    if (this.finished) return null;
    this.started = true;
    let r: IteratorResult<unknown>;
    try {
      r = await this.source.next();
    } catch (err) {
      this.finish();
      throw err;
    }
    if (!r.done) return this.frame(r.value);
    this.finish();
    return null;
  }

  /**
   * The reader went away: the source stops (its finally blocks run, which record the call and stop
   * the upstream) and the stream ends. A generator that never started would skip its finally
   * blocks on return(), so an unread source is started first (its first frame is dropped).
   */
  async cancel(): Promise<void> {
    try {
      if (!this.started && !this.finished) {
        this.started = true;
        await this.source.next();
      }
      await this.source.return(undefined);
    } catch {
      // The source failed while stopping; it has stopped either way.
    } finally {
      this.finish();
    }
  }

  toResponse(): Response {
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const frame = await this.next();
          if (frame === null) controller.close();
          else controller.enqueue(encoder.encode(frame));
        } catch (err) {
          controller.error(err);
        }
      },
      cancel: () => this.cancel(),
    });
    return new Response(body, { status: this.status, headers: this.headers });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const hook of this.hooks.splice(0)) hook();
  }
}

export type GatewayAnswer = Reply | StreamReply;

/** Sets a header on an answer (the name in lower case, as node keeps it). */
export function setAnswerHeader(answer: GatewayAnswer, name: string, value: string): void {
  answer.headers[name.toLowerCase()] = value;
}

export function toResponse(answer: GatewayAnswer): Response {
  return answer instanceof StreamReply ? answer.toResponse() : new Response(answer.body, { status: answer.status, headers: answer.headers });
}
