import { importRejected } from './import-item.js';

/** The text of one record found in a JSON stream, with the line its opening brace is on. */
export interface JsonElement {
  line: number;
  text: string;
  /** An NDJSON line that ends before its record does: the caller rejects it, the scan goes on. */
  broken?: boolean;
}

/** Keys under which an API answer wraps its records (Opendatasoft v2.1 `results`, v2.0 `records`). */
const RECORD_ARRAY_KEYS = new Set(['results', 'records']);

type Phase = 'start' | 'root' | 'array' | 'tail' | 'stream' | 'done';

/**
 * Finds the records of a JSON document without parsing the document: the caller `JSON.parse`s one record
 * at a time, so a 700 MB catalogue never sits in memory. Three layouts: a top-level array of records; an
 * API answer, an object holding the records in `results` (or `records`); and a stream of objects, one per
 * line (NDJSON) or pretty-printed one after the other. Structure errors (truncation, garbage between
 * records) throw `import_rejected` with the line; a broken NDJSON line is returned marked `broken`.
 */
export class JsonRecordScanner {
  private buf = '';
  private pos = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private phase: Phase = 'start';
  private recordDepth = 0;
  private elemStart = -1;
  private elemLine = 0;
  /** After `[` or `,` a record must come; after a record, `,` or `]`. */
  private expectValue = true;
  private sawComma = false;
  private keyStart = -1;
  private lastString: string | null = null;
  private lastKey: string | null = null;
  /** NDJSON proper (the first object fitted on one line): a newline inside a record means a broken line. */
  private lineMode = false;
  /** `json` (array or wrapped array), `ndjson` (one object per line) or `json` for concatenated objects. */
  layout: 'json' | 'ndjson' | null = null;

  constructor(private readonly fileName: string) {}

  /** Scans more text; returns the records completed by it. */
  push(text: string): JsonElement[] {
    // After compact() the buffer holds only the unfinished record, if any.
    this.buf += text;
    const out: JsonElement[] = [];
    this.scan(out);
    this.compact();
    return out;
  }

  /** Declares the end of the text; throws when the document is unfinished. */
  end(): JsonElement[] {
    const out: JsonElement[] = [];
    if (this.phase === 'stream' && this.lineMode && this.elemStart >= 0) {
      out.push({ line: this.elemLine, text: this.buf.slice(this.elemStart), broken: true });
      return out;
    }
    if (this.phase === 'start') this.fail('the file is empty: no JSON value', 'truncated');
    if (this.phase === 'done' || (this.phase === 'stream' && this.elemStart < 0)) return out;
    if (this.elemStart >= 0) {
      this.fail(
        `the file ends inside the record that starts on line ${this.elemLine} (truncated?)`,
        'truncated',
      );
    }
    this.fail('the file ends before its JSON document is closed (truncated?)', 'truncated');
  }

  private fail(problem: string, reason: string, line = this.line): never {
    throw importRejected(this.fileName, problem, { line, reason });
  }

  private compact(): void {
    if (this.elemStart >= 0) {
      this.buf = this.buf.slice(this.elemStart);
      this.pos -= this.elemStart;
      if (this.keyStart >= 0) this.keyStart -= this.elemStart;
      this.elemStart = 0;
    } else {
      this.buf = '';
      this.pos = 0;
      this.keyStart = -1;
    }
  }

  private scan(out: JsonElement[]): void {
    const buf = this.buf;
    const n = buf.length;
    const stop = /["\\\n]/g;
    while (this.pos < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          this.pos++;
          continue;
        }
        // Jump to the next character that matters inside a string.
        stop.lastIndex = this.pos;
        const m = stop.exec(buf);
        if (!m) {
          this.pos = n;
          return;
        }
        this.pos = m.index;
        const ch = buf[this.pos];
        if (ch === '\\') this.escaped = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.lastString = buf.slice(this.keyStart + 1, this.pos);
            this.keyStart = -1;
          }
        } else if (this.newlineInRecord(out)) continue;
        else this.line++;
        this.pos++;
        continue;
      }
      const ch = buf[this.pos]!;
      switch (ch) {
        case '\n':
          if (this.newlineInRecord(out)) continue;
          this.line++;
          break;
        case ' ':
        case '\t':
        case '\r':
          break;
        case '"':
          this.beforeValue(ch);
          this.inString = true;
          if (this.phase === 'root' && this.depth === 1) this.keyStart = this.pos;
          break;
        case '{':
        case '[':
          this.open(ch);
          break;
        case '}':
        case ']':
          this.close(ch, out);
          break;
        case ',':
          if (this.phase === 'array' && this.depth === this.recordDepth) {
            if (this.expectValue) this.fail('a record is missing before this comma', 'json_structure');
            this.expectValue = true;
            this.sawComma = true;
          } else if (this.phase === 'root' && this.depth === 1) this.lastKey = null;
          else if (this.depth === 0 && this.phase !== 'tail') this.unexpected(ch);
          break;
        case ':':
          if (this.phase === 'root' && this.depth === 1) this.lastKey = this.lastString;
          break;
        default:
          this.beforeValue(ch);
      }
      this.pos++;
    }
  }

  /** A newline inside an NDJSON record: that line is broken; hand it back and resume at the next line. */
  private newlineInRecord(out: JsonElement[]): boolean {
    if (!(this.lineMode && this.phase === 'stream' && this.elemStart >= 0)) return false;
    out.push({ line: this.elemLine, text: this.buf.slice(this.elemStart, this.pos), broken: true });
    this.elemStart = -1;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.line++;
    this.pos++;
    return true;
  }

  /** A scalar or string where only records may stand is a structure error. */
  private beforeValue(ch: string): void {
    const atRecordLevel =
      (this.phase === 'array' && this.depth === this.recordDepth) ||
      (this.phase === 'stream' && this.depth === 0) ||
      this.phase === 'start' ||
      this.phase === 'done';
    if (atRecordLevel) this.unexpected(ch);
  }

  private unexpected(ch: string): never {
    if (this.phase === 'start') this.fail('this is not JSON: it must start with [ or {', 'json_structure');
    if (this.phase === 'done')
      this.fail(`unexpected ${ch} after the end of the JSON document`, 'json_structure');
    if (this.phase === 'array' && !this.expectValue) {
      this.fail(`expected , or ] between records, found ${ch}`, 'json_structure');
    }
    this.fail(`expected a record (a JSON object), found ${ch}`, 'json_structure');
  }

  private open(ch: '{' | '['): void {
    switch (this.phase) {
      case 'start':
        if (ch === '[') {
          this.phase = 'array';
          this.layout = 'json';
          this.recordDepth = 1;
          this.expectValue = true;
          this.sawComma = false;
        } else {
          this.phase = 'root';
          this.elemStart = this.pos;
          this.elemLine = this.line;
        }
        this.depth = 1;
        return;
      case 'root':
        if (ch === '[' && this.depth === 1 && this.lastKey !== null && RECORD_ARRAY_KEYS.has(this.lastKey)) {
          // An API answer: the records are this array's elements; the wrapper itself is not kept.
          this.phase = 'array';
          this.layout = 'json';
          this.recordDepth = 2;
          this.expectValue = true;
          this.sawComma = false;
          this.elemStart = -1;
          this.keyStart = -1;
        }
        this.depth++;
        return;
      case 'array':
        if (this.depth === this.recordDepth) {
          if (!this.expectValue) this.unexpected(ch);
          this.elemStart = this.pos;
          this.elemLine = this.line;
          this.expectValue = false;
        }
        this.depth++;
        return;
      case 'stream':
        if (this.depth === 0) {
          // An array where a record should be is handed over too: the caller rejects it, not the file.
          this.elemStart = this.pos;
          this.elemLine = this.line;
        }
        this.depth++;
        return;
      case 'tail':
        this.depth++;
        return;
      case 'done':
        this.unexpected(ch);
    }
  }

  private close(ch: '}' | ']', out: JsonElement[]): void {
    if (this.depth === 0) this.unexpected(ch);
    this.depth--;
    switch (this.phase) {
      case 'array':
        if (this.depth === this.recordDepth - 1) {
          if (this.expectValue && this.sawComma)
            this.fail('a record is missing before this ]', 'json_structure');
          this.phase = this.recordDepth === 1 ? 'done' : 'tail';
        } else if (this.depth === this.recordDepth && this.elemStart >= 0) {
          this.emit(out);
        }
        return;
      case 'root':
        if (this.depth === 0) {
          // The first object held no record array: it is a record, and the file a stream of them.
          this.lineMode = !this.buf.slice(this.elemStart, this.pos).includes('\n');
          this.layout = this.lineMode ? 'ndjson' : 'json';
          this.phase = 'stream';
          this.emit(out);
        }
        return;
      case 'stream':
        if (this.depth === 0) this.emit(out);
        return;
      case 'tail':
        if (this.depth === 0) this.phase = 'done';
        return;
      default:
        return;
    }
  }

  private emit(out: JsonElement[]): void {
    out.push({ line: this.elemLine, text: this.buf.slice(this.elemStart, this.pos + 1) });
    this.elemStart = -1;
  }
}
