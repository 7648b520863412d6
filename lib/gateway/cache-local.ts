/**
 * The response cache's in-process copies (issue 13's benchmark goal): each instance keeps the
 * entries it wrote or read from the shared store (cache-store.ts), parsed, until their own expiry,
 * so a repeated hit costs no round trip and no parse. The shared store stays the truth every
 * instance sees; a copy is only ever the same answer under the same key (organization and app
 * included), never served past the expiry it was stored with. Bounded by entries and bytes; the
 * least recently used go first.
 */
export class LocalCopies<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxEntries = 2_000, private readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string, now = Date.now()): T | null {
    const e = this.entries.get(key);
    if (!e) return null;
    this.entries.delete(key);
    if (e.expiresAt <= now) {
      this.bytes -= e.bytes;
      return null;
    }
    this.entries.set(key, e); // most recently used last
    return e.value;
  }

  set(key: string, value: T, expiresAt: number, bytes: number): void {
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    this.entries.set(key, { value, expiresAt, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
