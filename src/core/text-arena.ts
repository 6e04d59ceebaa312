/**
 * Texts kept as UTF-8 outside V8's heap, each found again by the number `add` gave. For what an import
 * gathers by the hundred thousand and reads once at the end (the CPF findings' evidence): on the heap,
 * those strings made most of the live set the collector traces again and again as the heap fills (a
 * worker capped at 256 MB spent more time collecting than working at 300,000 offers). Memory is taken by
 * blocks and only given back with the arena.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TextArena {
  private readonly blocks: Uint8Array[] = [];
  private block: Uint8Array | null = null;
  private used = 0;
  /** Per text: its block, its first byte, its length in bytes. */
  private places = new Uint32Array(3 * 1024);
  private count = 0;

  constructor(private readonly blockBytes = 8 * 1024 * 1024) {}

  /** Keeps a text; returns the number that gives it back. */
  add(text: string): number {
    const most = text.length * 3;
    if (!this.block || this.used + most > this.block.length) {
      this.block = new Uint8Array(Math.max(this.blockBytes, most));
      this.blocks.push(this.block);
      this.used = 0;
    }
    const length = encoder.encodeInto(text, this.block.subarray(this.used)).written;
    if (3 * (this.count + 1) > this.places.length) {
      const grown = new Uint32Array(this.places.length * 2);
      grown.set(this.places);
      this.places = grown;
    }
    const at = 3 * this.count;
    this.places[at] = this.blocks.length - 1;
    this.places[at + 1] = this.used;
    this.places[at + 2] = length;
    this.used += length;
    return this.count++;
  }

  get(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.count)
      throw new RangeError(`no text ${id} in the arena`);
    const at = 3 * id;
    const start = this.places[at + 1] as number;
    const block = this.blocks[this.places[at] as number] as Uint8Array;
    return decoder.decode(block.subarray(start, start + (this.places[at + 2] as number)));
  }

  /** Bytes taken (blocks), for the record. */
  get byteLength(): number {
    return this.blocks.reduce((sum, b) => sum + b.length, 0) + this.places.byteLength;
  }
}
