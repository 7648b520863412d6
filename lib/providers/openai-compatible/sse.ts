/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream rules) over raw body
 * chunks. Network chunks split anywhere — inside a UTF-8 character, a line or a CRLF — so
 * decoding and line assembly both carry state across push() calls.
 */
export interface SseEvent {
  /** The `event:` field, null for the default "message" event. */
  event: string | null;
  /** All `data:` lines of the event joined by "\n". */
  data: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private partial = "";
  private skipLeadingLf = false;
  private dataLines: string[] = [];
  private eventName: string | null = null;

  /** Feeds one body chunk; returns the events it completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    if (this.skipLeadingLf && text.length > 0) {
      // The previous chunk ended in "\r"; a "\n" opening this one belongs to the same CRLF.
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLeadingLf = false;
    }
    let start = 0;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = start === 0 && this.partial ? this.partial + text.slice(0, i) : text.slice(start, i);
      if (start === 0) this.partial = "";
      this.line(line, out);
      if (c === 13) {
        if (i + 1 < len) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    if (start < len) this.partial = start === 0 ? this.partial + text : text.slice(start);
    return out;
  }

  /**
   * Call at end of body. A final event whose lines were complete but lacked the closing blank
   * line is still delivered (lenient servers); a half-received line is dropped, since it is
   * what a cut connection leaves behind.
   */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.partial += this.decoder.decode();
    this.partial = "";
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment, e.g. OpenRouter's keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.dataLines.push(value);
    else if (field === "event") this.eventName = value;
    // id and retry only matter for browser reconnection, which a proxy never does.
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const data = this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join("\n");
      out.push({ event: this.eventName, data });
    }
    this.dataLines = [];
    this.eventName = null;
  }
}
