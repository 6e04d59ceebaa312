import { copyField } from '../../core/copy-text.js';
import { type CopyRows, copyTables } from '../../core/registry/copy-rows.js';
import type { FicheRecord } from '../../core/registry/fiche.schema.js';
import type { SerialisedFiche } from './serialise.js';

const fields = (values: (string | number | boolean | null)[]) => values.map(copyField).join('\t');
const line = (values: (string | number | boolean | null)[]) => `${fields(values)}\n`;

const encoder = new TextEncoder();

/**
 * Accumulates the COPY rows (see core/registry/copy-rows.ts) of the new fiches of one run until `take`
 * encodes them. A fiche's snapshot goes as
 * bytea in hex (`\x…`, the backslash escaped for COPY).
 */
export class CopyRowsBuilder {
  private fiches: string[] = [];
  private certifiers: string[] = [];
  private partners: string[] = [];
  private changes: string[] = [];
  private count = 0;
  /** Characters buffered so far (to close a batch). */
  chars = 0;

  constructor(private readonly runId: string) {}

  add(fiche: SerialisedFiche, snapshot: Buffer): void {
    const record: FicheRecord = fiche.record;
    const { columns, code } = fiche;
    // The snapshot is hex already: only its `\x` prefix needs escaping.
    const ficheLine = `${fields([
      code,
      columns.register,
      columns.title,
      columns.level,
      columns.state,
      columns.isActive,
      columns.registeredOn,
      columns.endsOn,
      columns.skillBlockCount,
      columns.partnerCount,
      columns.activePartnerCount,
      fiche.hash,
    ])}\t\\\\x${snapshot.toString('hex')}\t${fiche.line}\t${this.runId}\t${this.runId}\n`;
    this.fiches.push(ficheLine);
    this.chars += ficheLine.length;
    record.certifiers.forEach((c, position) => {
      const l = line([code, position, c.siret, c.name, c.state]);
      this.certifiers.push(l);
      this.chars += l.length;
    });
    record.partners.forEach((p, position) => {
      const l = line([
        code,
        position,
        p.siret,
        p.name,
        p.habilitationType,
        p.state,
        p.isActive,
        p.activeSince,
        p.stateChangedOn,
        p.line,
        this.runId,
      ]);
      this.partners.push(l);
      this.chars += l.length;
    });
    const change = line([
      this.runId,
      code,
      'new',
      JSON.stringify({ title: columns.title, isActive: columns.isActive }),
    ]);
    this.changes.push(change);
    this.chars += change.length;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The rows buffered, encoded into buffers of `pool` (they are transferred to the import's thread, which
   * gives them back once written), and a fresh start.
   */
  take(pool: CopyBufferPool): CopyRows {
    const rows: CopyRows = {
      fc_fiches: pool.encode(this.fiches.join('')),
      fc_fiche_certifiers: pool.encode(this.certifiers.join('')),
      fc_declared_partners: pool.encode(this.partners.join('')),
      fc_fiche_changes: pool.encode(this.changes.join('')),
      fiches: this.count,
    };
    this.fiches = [];
    this.certifiers = [];
    this.partners = [];
    this.changes = [];
    this.count = 0;
    this.chars = 0;
    return rows;
  }
}

/** Buffers are allocated in sizes of at least this many bytes (powers of two), so they fit later text. */
const MIN_BUFFER_BYTES = 64 * 1024;
/** Free buffers kept beyond this are left to the garbage collector. */
const MAX_FREE_BUFFERS = 32;

/**
 * The buffers the COPY text is encoded into, used again once the import's thread has written them and
 * handed them back. Why: a fresh buffer per batch is external memory the receiving thread's garbage
 * collector frees late (V8 collects when its own heap grows, and the import's heap barely does), and the
 * freed blocks fragment the C heap; a full export then peaked ~250 MB higher on PGlite, by chance of the
 * collector's timing (measured at 25,000 fiches: 430 to 680 MB for the same run).
 */
export class CopyBufferPool {
  private free: ArrayBuffer[] = [];

  /** `text` as UTF-8 in a view of a pooled buffer. */
  encode(text: string): Uint8Array {
    const bytes = Buffer.byteLength(text, 'utf8');
    const buffer = this.acquire(bytes);
    const view = new Uint8Array(buffer, 0, bytes);
    encoder.encodeInto(text, view);
    return view;
  }

  /** Buffers given back (transferred back from the import's thread). */
  release(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers)
      if (buffer.byteLength > 0 && this.free.length < MAX_FREE_BUFFERS) this.free.push(buffer);
  }

  private acquire(bytes: number): ArrayBuffer {
    // The smallest free buffer that fits: small tables keep small buffers, the fiches' text the large ones.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    let size = MIN_BUFFER_BYTES;
    while (size < bytes) size *= 2;
    return new ArrayBuffer(size);
  }
}

/** The buffers of `rows`, to transfer them to another thread instead of copying them. */
export const transferListOf = (rows: CopyRows): ArrayBuffer[] =>
  copyTables.map((table) => rows[table].buffer as ArrayBuffer);
