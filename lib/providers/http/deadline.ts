/**
 * One AbortSignal for an upstream call that fires on the caller's abort or on our own timer.
 * `timedOut` tells the two apart without inspecting error shapes, which differ between undici,
 * fetch and the AI SDK. (AbortSignal.any is avoided: it leaks on Node 20/22, nodejs/node#54614.)
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ms = 0;
  timedOut = false;

  constructor(
    private readonly caller: AbortSignal,
    ms: number,
  ) {
    if (caller.aborted) {
      this.controller.abort(caller.reason);
      return;
    }
    caller.addEventListener("abort", this.onCallerAbort, { once: true });
    this.reset(ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the caller (not our timer) cancelled the call. */
  get callerAborted(): boolean {
    return this.caller.aborted;
  }

  /** Restarts the timer: streams use it as an idle timeout between parts. */
  reset(ms: number): void {
    if (this.controller.signal.aborted) return;
    // refresh() re-arms the same timer: cheaper than clear + set once per streamed chunk.
    if (this.timer && ms === this.ms) this.timer.refresh();
    else {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(this.onTimeout, ms);
      this.ms = ms;
    }
  }

  /** Aborts the call on our side without it counting as a timeout (the consumer went away). */
  cancel(): void {
    this.dispose();
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException("cancelled", "AbortError"));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.caller.removeEventListener("abort", this.onCallerAbort);
  }

  private readonly onTimeout = (): void => {
    this.timedOut = true;
    this.controller.abort(new DOMException("upstream timeout", "TimeoutError"));
  };

  private readonly onCallerAbort = (): void => {
    this.dispose();
    this.controller.abort(this.caller.reason);
  };
}
