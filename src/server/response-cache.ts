/**
 * Serialized JSON answers of read routes whose response depends only on the stored data and on who asks
 * (contracts marked `cacheable`), kept until the data version moves (src/db/data-version.ts) — any write
 * in this process, any change announced by another — and for one minute at most, so that what is derived
 * from the clock (a deadline becoming late) is never older than that. Least recently used entries go
 * first past `maxEntries` or `maxBytes`.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { body: string; version: number; storedAt: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly maxAgeMs = 60_000,
  ) {}

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  get(key: string, version: number, now = Date.now()): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.version !== version || now - entry.storedAt > this.maxAgeMs) {
      this.bytes -= entry.body.length;
      return undefined;
    }
    this.entries.set(key, entry); // most recently used last
    return entry.body;
  }

  set(key: string, version: number, body: string, now = Date.now()): void {
    if (!this.enabled || body.length > this.maxBytes / 16) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.body.length;
    }
    this.entries.set(key, { body, version, storedAt: now });
    this.bytes += body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
