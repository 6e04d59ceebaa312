import { createReadStream } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { type CertificateIdentity, parseAccrochageIdTechnique } from '../../core/accrochage/id-technique.js';
import { AppError } from '../../core/errors.js';

/**
 * The CDC's « accusé de traitement » of an accrochage deposit (formats.md §B.5), read as a stream:
 *
 *   <rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">
 *     <nomFichier>…</nomFichier> <idFlux>…</idFlux> <idTraitement>…</idTraitement>
 *     <PassagesKO> <passage><idTechnique>…</idTechnique><messageErreur>…</messageErreur></passage>… </PassagesKO>
 *     <PassagesOK> <idTechnique>…</idTechnique>… </PassagesOK>
 *   </rapport>
 *
 * Elements are matched by local name, whatever their prefix (the CDC's own files use none). What is not
 * understood inside PassagesOK / PassagesKO stops the import: a report misread is worse than one refused.
 * Unknown elements elsewhere are skipped with a warning, so that a field the CDC adds does not block imports.
 */

export type AccrochageReportStatus = 'accepted' | 'rejected';

export interface AccrochageReportResult {
  idTechnique: string;
  status: AccrochageReportStatus;
  /** The CDC's reasons for a rejection (several when the passage is listed several times); empty when accepted. */
  messages: string[];
  /** The lines of the report where the passage is listed. */
  lines: number[];
  /** The certificate the idTechnique names, when Habilis made it (see core/accrochage/id-technique.ts). */
  certificate: CertificateIdentity | undefined;
}

export interface AccrochageReport {
  /** The file read (base name). */
  fileName: string;
  /** `nomFichier`: the name of the deposited file the report is about. */
  depositedFileName: string | null;
  /** `idFlux`: the flux's id, to match the report with what was sent. */
  fluxId: string | null;
  /** `idTraitement`: the CDC's processing number. */
  processingId: string | null;
  /** One result per idTechnique, in the order of the report. */
  results: Map<string, AccrochageReportResult>;
  accepted: number;
  rejected: number;
  /**
   * Things read that are worth a look but did not stop the import: an unknown element, an idTechnique both
   * accepted and rejected (counted as rejected, so that it is sent again; a re-send of a passage the CDC has
   * is answered « existe déjà en base », which does no harm), a rejection without a message.
   */
  warnings: { line: number; message: string }[];
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** The encoding named in the XML declaration, if the first bytes hold one. */
function declaredEncoding(head: Uint8Array): string | undefined {
  const text = Buffer.from(head.subarray(0, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text)?.[1];
}

type Decoder = { write(bytes: Uint8Array): string; end(): string };

/** A decoder for the file: by its byte-order mark, else its XML declaration, else UTF-8 (XML's default). */
function decoderFor(head: Uint8Array, fail: (message: string) => never): Decoder {
  let encoding = 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf-16le';
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = 'utf-16be';
  else if (!(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf))
    encoding = declaredEncoding(head) ?? 'utf-8';
  if (/^utf-?8$/i.test(encoding)) {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    return {
      write: (bytes) => utf8.decode(bytes, { stream: true }),
      end: () => utf8.decode(),
    };
  }
  if (!iconv.encodingExists(encoding)) fail(`unknown encoding ${encoding} in the XML declaration`);
  const other = iconv.getDecoder(encoding);
  return { write: (bytes) => other.write(Buffer.from(bytes)), end: () => other.end() ?? '' };
}

interface Frame {
  name: string;
  line: number;
  text: string;
}

/**
 * Reads a CDC processing report from a stream of bytes and returns the status of each passage by its
 * idTechnique: accepted, or rejected with the CDC's message. Memory grows with the number of passages listed,
 * not with the file. A file that is not a well-formed report (truncated, not XML, another kind of XML such as
 * the accrochage flux itself, a passage without its idTechnique, bytes that are not in the declared encoding)
 * is refused whole with AppError('import_rejected'), whose message and details name the file, line and column.
 *
 * @example
 * const report = await parseAccrochageReport(createReadStream(file), 'accuse.xml');
 * for (const r of report.results.values()) if (r.status === 'rejected') console.log(r.idTechnique, r.messages);
 */
export async function parseAccrochageReport(
  source: AsyncIterable<Uint8Array | string>,
  fileName: string,
): Promise<AccrochageReport> {
  const file = path.basename(fileName);
  const parser = new SaxesParser({ position: true });
  /** Refuses the file; at the parser's position, or at the start of a given line. */
  const reject = (message: string, atLine?: number, atColumn?: number): never => {
    const line = atLine ?? parser.line;
    const column = atColumn ?? (atLine === undefined ? Math.max(1, parser.column) : 1);
    throw new AppError('import_rejected', `${file}:${line}:${column}: ${message}`, {
      details: { file, line, column },
    });
  };

  const report: AccrochageReport = {
    fileName: file,
    depositedFileName: null,
    fluxId: null,
    processingId: null,
    results: new Map(),
    accepted: 0,
    rejected: 0,
    warnings: [],
  };
  const record = (
    idTechnique: string,
    status: AccrochageReportStatus,
    message: string | null,
    line: number,
  ) => {
    const known = report.results.get(idTechnique);
    if (!known) {
      report.results.set(idTechnique, {
        idTechnique,
        status,
        messages: message ? [message] : [],
        lines: [line],
        certificate: parseAccrochageIdTechnique(idTechnique),
      });
      if (status === 'accepted') report.accepted++;
      else report.rejected++;
      return;
    }
    known.lines.push(line);
    if (message) known.messages.push(message);
    if (known.status !== status) {
      report.warnings.push({
        line,
        message: `idTechnique ${idTechnique} is listed both accepted and rejected (line ${known.lines[0]}): taken as rejected`,
      });
      if (known.status === 'accepted') {
        known.status = 'rejected';
        report.accepted--;
        report.rejected++;
      }
    }
  };

  const stack: Frame[] = [];
  let passage: { line: number; idTechnique: string | null; message: string | null } | undefined;

  // The first well-formedness error stops the parse: what follows it cannot be trusted.
  parser.on('error', (err) => {
    reject(`not well-formed XML: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const parent = stack[stack.length - 1];
    const line = parser.line;
    if (!parent) {
      if (name === 'flux')
        reject(
          'this is an accrochage flux (what is sent to the CDC), not the processing report the CDC sends back',
        );
      if (name !== 'rapport')
        reject(`not a CDC processing report: the root is <${tag.name}>, expected <rapport>`);
    } else {
      if (parent.text.trim() !== '') reject(`unexpected text in <${parent.name}>`);
      // Checked: forget it, or the whitespace between thousands of children would be scanned again each time.
      parent.text = '';
      const where = parent.name;
      if (where === 'PassagesOK' && name !== 'idTechnique')
        reject(`unexpected <${tag.name}> in <PassagesOK>, which lists <idTechnique> elements`);
      if (where === 'PassagesKO' && name !== 'passage')
        reject(`unexpected <${tag.name}> in <PassagesKO>, which lists <passage> elements`);
      if (where === 'passage' && name !== 'idTechnique' && name !== 'messageErreur')
        reject(`unexpected <${tag.name}> in <passage>, which holds <idTechnique> and <messageErreur>`);
      if (
        where === 'rapport' &&
        !['nomFichier', 'idFlux', 'idTraitement', 'PassagesOK', 'PassagesKO'].includes(name)
      )
        report.warnings.push({ line, message: `unknown element <${tag.name}> in <rapport>: skipped` });
      if (where === 'PassagesKO') passage = { line, idTechnique: null, message: null };
    }
    stack.push({ name, line, text: '' });
  });
  parser.on('closetag', () => {
    const frame = stack.pop();
    if (!frame) return;
    const parent = stack[stack.length - 1]?.name;
    const value = frame.text.trim();
    if (parent === 'rapport') {
      if (frame.name === 'nomFichier') report.depositedFileName = value || null;
      else if (frame.name === 'idFlux') report.fluxId = value || null;
      else if (frame.name === 'idTraitement') report.processingId = value || null;
    } else if (parent === 'PassagesOK') {
      if (value === '') reject('empty <idTechnique> in <PassagesOK>', frame.line);
      record(value, 'accepted', null, frame.line);
    } else if (parent === 'passage' && passage) {
      if (frame.name === 'idTechnique') {
        if (value === '') reject('empty <idTechnique> in <passage>', frame.line);
        passage.idTechnique = value;
      } else {
        passage.message = value.replace(/\s+/g, ' ') || null;
      }
    } else if (frame.name === 'passage' && parent === 'PassagesKO' && passage) {
      if (!passage.idTechnique) reject('a <passage> without its <idTechnique>', passage.line, 1);
      if (!passage.message)
        report.warnings.push({
          line: passage.line,
          message: `passage ${passage.idTechnique} rejected without a message`,
        });
      record(passage.idTechnique!, 'rejected', passage.message, passage.line);
      passage = undefined;
    }
  });

  let checkedStart = false;
  const feed = (text: string): void => {
    if (!checkedStart) {
      const start = text.replace(/^\uFEFF/, '').trimStart();
      if (start !== '') {
        checkedStart = true;
        if (!start.startsWith('<')) reject('not an XML file (a CDC processing report is XML)');
      }
    }
    parser.write(text);
  };

  // The encoding is chosen on the first bytes: gather enough of them to hold the XML declaration.
  let decoder: Decoder | undefined;
  let head: Uint8Array[] = [];
  let headLength = 0;
  const decode = (data: Uint8Array): void => {
    decoder ??= decoderFor(data, (m) => reject(m, 1, 1));
    let text: string;
    try {
      text = decoder.write(data);
    } catch {
      text = reject('bytes that are not valid UTF-8 (the file must be UTF-8, or declare its encoding)');
    }
    feed(text);
  };
  const flushHead = (): void => {
    if (headLength === 0) return;
    const data = Buffer.concat(head);
    head = [];
    headLength = 0;
    decode(data);
  };
  let empty = true;
  for await (const data of source) {
    if (data.length === 0) continue;
    empty = false;
    if (typeof data === 'string') {
      flushHead();
      feed(data);
    } else if (decoder) {
      decode(data);
    } else {
      head.push(data);
      headLength += data.length;
      if (headLength >= 256) flushHead();
    }
  }
  if (empty) reject('the file is empty', 1, 1);
  flushHead();
  if (decoder) {
    let rest: string;
    try {
      rest = decoder.end();
    } catch {
      rest = reject('the file ends in the middle of a character (truncated?)');
    }
    feed(rest);
  }
  parser.close();
  if (report.results.size === 0) report.warnings.push({ line: 1, message: 'the report lists no passage' });
  return report;
}

/** Reads a processing report file; see parseAccrochageReport. */
export function readAccrochageReport(filePath: string): Promise<AccrochageReport> {
  return parseAccrochageReport(createReadStream(filePath, { highWaterMark: 64 * 1024 }), filePath);
}
