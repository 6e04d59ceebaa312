import { SaxesParser } from 'saxes';

/**
 * Streaming XML reader for the France Compétences flow: saxes reads text chunk by chunk and this builds a
 * small element tree for one FICHE at a time (a fiche with 500 partners is ~200 KB), handed to the mapper
 * as soon as its closing tag is read. Nothing else of the file is kept, so memory stays flat whatever the
 * file's size.
 */

/** An element of one fiche: its name, text (trimmed later), children, and where its start tag ends. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
  line: number;
  column: number;
}

/** A malformed document: saxes' reason and where. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(reason);
    this.name = 'XmlSyntaxError';
  }
}

/** The document is XML but not a France Compétences flow (its root element is another one). */
export class WrongDocumentError extends Error {
  constructor(
    readonly rootName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`the root element is <${rootName}>, expected <FICHES>`);
    this.name = 'WrongDocumentError';
  }
}

export const ROOT_ELEMENT = 'FICHES';
export const FICHE_ELEMENT = 'FICHE';

/**
 * Feeds text to saxes and collects the FICHE trees completed by each chunk. Children of FICHES other than
 * FICHE are counted as unknown, except VERSION_FLUX which is kept.
 */
export class FicheTreeReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: XmlElement[] = [];
  private depth = 0;
  private rootSeen = false;
  private versionText: string | null = null;
  private inVersion = false;
  private error: Error | null = null;
  /** Trees completed since the last `take()`. */
  private completed: XmlElement[] = [];
  readonly unknownTopLevel = new Map<string, number>();

  constructor() {
    const p = this.parser;
    p.on('opentag', (tag) => {
      this.depth++;
      if (this.depth === 1) {
        if (tag.name !== ROOT_ELEMENT) {
          this.error ??= new WrongDocumentError(tag.name, p.line, p.column);
        }
        this.rootSeen = true;
        return;
      }
      if (this.stack.length > 0) {
        const parent = this.stack[this.stack.length - 1]!;
        if (isInlineMarkup(tag.name)) {
          // Unescaped HTML of older exports (<br/>, <li>): part of the parent's text, not an element.
          if (/^(br|p|div|li)$/i.test(tag.name)) parent.text += /^li$/i.test(tag.name) ? '\n- ' : '\n';
          this.stack.push(parent);
          return;
        }
        const element: XmlElement = {
          name: tag.name,
          text: '',
          children: [],
          line: p.line,
          column: p.column,
        };
        parent.children.push(element);
        this.stack.push(element);
        return;
      }
      if (this.depth === 2 && tag.name === FICHE_ELEMENT) {
        this.stack.push({ name: tag.name, text: '', children: [], line: p.line, column: p.column });
        return;
      }
      if (this.depth === 2 && tag.name === 'VERSION_FLUX') {
        this.inVersion = true;
        this.versionText = '';
        return;
      }
      if (this.depth === 2) this.unknownTopLevel.set(tag.name, (this.unknownTopLevel.get(tag.name) ?? 0) + 1);
    });
    p.on('text', (text) => this.addText(text));
    p.on('cdata', (text) => this.addText(text));
    p.on('closetag', () => {
      this.depth--;
      if (this.inVersion && this.depth === 1) this.inVersion = false;
      if (this.stack.length === 0) return;
      const element = this.stack.pop()!;
      // Closing an inline tag pops its parent's second place on the stack: the parent goes on.
      if (this.stack.length === 0) this.completed.push(element);
    });
    p.on('error', (err) => {
      this.error ??= new XmlSyntaxError(stripPosition(err.message), p.line, p.column);
    });
  }

  private addText(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.text += text;
    else if (this.inVersion) this.versionText += text;
  }

  /** Feeds a chunk of text; throws the first syntax or document error met. */
  write(text: string): void {
    this.parser.write(text);
    if (this.error) throw this.error;
  }

  /** The end of the file: a truncated document (unclosed elements, no root) is an error. */
  close(): void {
    if (!this.rootSeen && !this.error) {
      this.error = new XmlSyntaxError('the file holds no XML element', this.parser.line, this.parser.column);
    }
    if (!this.error) this.parser.close();
    if (this.error) throw this.error;
  }

  /** The fiches completed since the last call. */
  take(): XmlElement[] {
    const done = this.completed;
    this.completed = [];
    return done;
  }

  get line(): number {
    return this.parser.line;
  }

  get column(): number {
    return this.parser.column;
  }

  get flowVersion(): string | null {
    return this.versionText?.trim() || null;
  }
}

/** HTML tags are lower case; the flow's elements are upper case. */
const isInlineMarkup = (name: string): boolean => name !== name.toUpperCase();

// saxes prefixes its messages with "file:line:column: "; the position is reported on its own.
const stripPosition = (message: string): string => message.replace(/^[^:]*:\d+:\d+: /, '');
