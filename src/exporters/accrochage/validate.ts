import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { memoryPages, validateXML } from 'xmllint-wasm';
import { ACCROCHAGE_NAMESPACE, XSI_NAMESPACE } from './xml-text.js';

/** The XSD version Habilis writes and checks. */
export const ACCROCHAGE_SCHEMA_VERSION = '1.1.2';
const SCHEMA_FILE = `accrochage-${ACCROCHAGE_SCHEMA_VERSION}.xsd`;

export interface AccrochageValidationError {
  /** The line of the element (or of the parse error) in the validated file; null when libxml2 gives none. */
  line: number | null;
  /** For well-formedness errors only: the column where the parser stopped. */
  column?: number;
  /** `xml`: not well-formed; `xsd`: refused by the schema; `habilis`: a check the schema cannot express. */
  source: 'xml' | 'xsd' | 'habilis';
  message: string;
}

export interface AccrochageValidation {
  valid: boolean;
  errors: AccrochageValidationError[];
  /** True when validation stopped at `maxErrors`: there may be more. */
  truncated: boolean;
  /** `passageCertification` elements seen. */
  passages: number;
}

export interface ValidateFileOptions {
  /**
   * Files up to this size are validated whole, in one xmllint run (fastest; memory about 3.5 times the
   * file); larger ones in chunks (flat memory, slower). 48 MB, about 25,000 passages, by default.
   */
  wholeFileBytes?: number;
  /** In chunks: characters of passages validated per xmllint run (memory per run grows with it). */
  chunkChars?: number;
  /** Stop after this many errors. */
  maxErrors?: number;
}

/**
 * Where the XSD is: beside this module when run from the sources (tsx, tests), or back in src/ when run from
 * the compiled dist/ (tsc copies no .xsd).
 */
function schemaPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, 'schema', SCHEMA_FILE),
    path.resolve(here, '../../../src/exporters/accrochage/schema', SCHEMA_FILE),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

let schemaText: Promise<string> | undefined;
/** The text of Habilis' accrochage XSD (read once). */
export function accrochageSchema(): Promise<string> {
  schemaText ??= readFile(schemaPath(), 'utf8');
  return schemaText;
}

const NAMESPACE_IN_MESSAGE = new RegExp(
  `\\{${ACCROCHAGE_NAMESPACE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}`,
  'g',
);

/** libxml2's message, made readable: `Element 'cpf:sexe': [facet 'enumeration'] …`. */
function cleanMessage(message: string): string {
  return message
    .replace(/^element [^:]+: /, '')
    .replace(/^(Schemas validity error|Schemas parser error|parser error|validity error) : /, '')
    .replace(NAMESPACE_IN_MESSAGE, 'cpf:')
    .trim();
}

/** Runs xmllint on one document; its error lines, with the document's own line numbers. */
async function runXmllint(xml: string | Uint8Array): Promise<{ line: number | null; message: string }[]> {
  const fileName = 'flux.xml';
  let output: string;
  try {
    const result = await validateXML({
      xml: [{ fileName, contents: xml }],
      schema: [{ fileName: SCHEMA_FILE, contents: await accrochageSchema() }],
      // libxml2's reader validates as it reads, without building the tree.
      stream: true,
      maxMemoryPages: memoryPages.GiB,
    });
    if (result.valid) return [];
    output = result.rawOutput;
  } catch (error) {
    // xmllint-wasm rejects on exit codes it does not classify, a document that is not well-formed among them;
    // its message is xmllint's output. Anything else (no memory, no worker) is not the document's fault.
    if (!(error instanceof Error && typeof (error as { code?: unknown }).code === 'number')) throw error;
    output = error.message;
  }
  const errors: { line: number | null; message: string }[] = [];
  for (const raw of output.split('\n')) {
    // In stream mode xmllint says no more than this of a document that is not well-formed.
    if (raw === `${fileName} : failed to parse`) {
      errors.push({ line: null, message: 'not well-formed: xmllint could not parse it' });
      continue;
    }
    if (raw.startsWith(`${fileName}:`)) {
      const m = /^[^:]+:(\d+): (.*)$/.exec(raw);
      if (m) errors.push({ line: Number(m[1]), message: cleanMessage(m[2]!) });
      continue;
    }
    // Lines of context and carets under a parse error, and the closing verdict, are not errors.
    if (raw.trim() === '' || / (fails to validate|validates)$/.test(raw) || !/error|warning/i.test(raw))
      continue;
    errors.push({ line: null, message: cleanMessage(raw) });
  }
  if (errors.length === 0)
    errors.push({ line: null, message: `refused by xmllint without detail: ${output.trim().slice(0, 200)}` });
  return errors;
}

/**
 * Validates a whole accrochage document held in memory against Habilis' XSD 1.1.2, in one xmllint run.
 * For small documents and tests; files go through `validateAccrochageFile`, which keeps memory flat.
 */
export async function validateAccrochageXml(xml: string | Uint8Array): Promise<AccrochageValidation> {
  const errors: AccrochageValidationError[] = (await runXmllint(xml)).map((e) => ({
    ...e,
    source: 'xsd' as const,
  }));
  const text = typeof xml === 'string' ? xml : new TextDecoder().decode(xml);
  const passages = text.match(/<(?:[A-Za-z_][\w.-]*:)?passageCertification[\s>/]/g)?.length ?? 0;
  return { valid: errors.length === 0, errors, truncated: false, passages };
}

// ---------------------------------------------------------------------------------------------------------
// Validation of a file.
//
// xmllint-wasm wants the whole document in memory, copied to its worker and again into its file system: about
// 3.5 times the file's size, 650 MB for 100,000 passages. A small file is given to it whole, while a streaming
// parse (saxes) makes the checks the schema cannot. A large one is streamed once through saxes, which finds
// where each passage starts and ends, and cut into documents of bounded size that validate exactly as the file
// would:
// - a skeleton: the file without its passages, each non-empty passageCertifications keeping one stub passage
//   known to be valid, so that everything around the passages is checked in place;
// - chunks: the passages' own text, some thousands at a time, inside a fixed envelope known to be valid that
//   declares the namespaces in scope where the passages were.
// The XSD has no identity constraint, and a passage's content model does not depend on where it sits, so the
// union of the errors is the file's. Lines are kept where they were: a passage cut out of the skeleton leaves
// its line breaks behind, and a chunk starts with as many line breaks as come before its first passage (and
// between two passages, as many as there were), so libxml2's line numbers are the file's.
// ---------------------------------------------------------------------------------------------------------

const ENV = 'habilisenv';
/** A flux envelope valid against the XSD, around the passages of one chunk; on one line. */
const envelopeStart = (declarations: string) =>
  `<${ENV}:flux xmlns:${ENV}="${ACCROCHAGE_NAMESPACE}"${declarations}>` +
  `<${ENV}:idFlux>chunk</${ENV}:idFlux><${ENV}:horodatage>2000-01-01T00:00:00+00:00</${ENV}:horodatage>` +
  `<${ENV}:emetteur><${ENV}:idClient>00000000</${ENV}:idClient><${ENV}:certificateurs><${ENV}:certificateur>` +
  `<${ENV}:idClient>00000000</${ENV}:idClient><${ENV}:idContrat>chunk</${ENV}:idContrat>` +
  `<${ENV}:certifications><${ENV}:certification><${ENV}:type>RNCP</${ENV}:type><${ENV}:code>RNCP1</${ENV}:code>` +
  `<${ENV}:passageCertifications>`;
const envelopeEnd =
  `</${ENV}:passageCertifications></${ENV}:certification></${ENV}:certifications></${ENV}:certificateur>` +
  `</${ENV}:certificateurs></${ENV}:emetteur></${ENV}:flux>`;

/**
 * A passage valid against the XSD, standing in the skeleton for the passages validated in chunks; one line,
 * short (a file whose certifications alternate has one per group), in its own default namespace so that no
 * prefix of the file can clash with it.
 */
const stubPassage =
  `<passageCertification xmlns="${ACCROCHAGE_NAMESPACE}" xmlns:xsi="${XSI_NAMESPACE}">` +
  '<idTechnique>stub</idTechnique><obtentionCertification>PAR_ADMISSION</obtentionCertification>' +
  '<donneeCertifiee>true</donneeCertifiee><dateDebutValidite>2000-01-01</dateDebutValidite>' +
  '<dateFinValidite xsi:nil="true"/><presenceNiveauLangueEuro>false</presenceNiveauLangueEuro>' +
  '<presenceNiveauNumeriqueEuro>false</presenceNiveauNumeriqueEuro><scoring xsi:nil="true"/>' +
  '<mentionValidee xsi:nil="true"/><modalitesInscription><modaliteAcces xsi:nil="true"/></modalitesInscription>' +
  '<identificationTitulaire><dossierFormation><idDossier>0</idDossier><nomTitulaire>STUB</nomTitulaire>' +
  '<prenom1Titulaire>Stub</prenom1Titulaire></dossierFormation></identificationTitulaire></passageCertification>';

/** The envelope and stub, for the test that proves them valid against the XSD (they must stay so). */
export const chunkingFixtures = { envelopeStart, envelopeEnd, stubPassage };

const escapeAttribute = (v: string): string => v.replace(/[&<"\n\r\t]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Namespace bindings in scope: prefix → URI ('' for the default namespace), inherited through the prototype. */
type Scope = Record<string, string>;
const ROOT_SCOPE: Scope = Object.assign(Object.create(null) as Scope, {
  xml: 'http://www.w3.org/XML/1998/namespace',
});

/** The bindings a tag declares added to its parent's; the parent's own object when it declares none. */
function scopeOf(attributes: Record<string, string>, parent: Scope): Scope {
  let scope = parent;
  for (const name in attributes) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    if (scope === parent) scope = Object.create(parent) as Scope;
    scope[name === 'xmlns' ? '' : name.slice(6)] = attributes[name]!;
  }
  return scope;
}

/** Every binding in scope, as attributes that declare them again on another root. */
function declarations(scope: Scope): string {
  let s = '';
  for (const prefix in scope) {
    if (prefix === 'xml') continue;
    s += ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeAttribute(scope[prefix]!)}"`;
  }
  return s;
}

interface Open {
  uri: string | undefined;
  local: string;
  scope: Scope;
  line: number;
  /** Set on a passageCertifications whose passages go to chunks: its namespace declarations, for the envelope. */
  chunkScope?: string;
  movedPassages: number;
}

const isCdc = (open: Open | undefined, local: string): boolean =>
  open !== undefined && open.uri === ACCROCHAGE_NAMESPACE && open.local === local;

/** A document being cut out of the file: its parts, its size, and the file line it has reached. */
interface Piece {
  parts: string[];
  chars: number;
  passages: number;
  /** The line the document's text has reached, to add the line breaks of what is left out. */
  line: number;
  scope: string;
}

/**
 * A copy of a string that does not hold on to the one it was cut from. V8 makes a slice or a substring point
 * into its parent; a short id or a line break kept that way for the whole parse would keep every 256 KiB read
 * of the file alive with it.
 */
const detach = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

const push = (doc: { parts: string[]; chars: number }, text: string): void => {
  if (text === '') return;
  doc.parts.push(text);
  doc.chars += text.length;
};

/**
 * Validates an accrochage file against Habilis' XSD 1.1.2 with xmllint-wasm (libxml2): whole when small, in
 * chunks when large so that memory stays flat whatever its size (see above). Returns every error with its line in the file:
 * well-formedness (`xml`, with the column; validation stops there), schema (`xsd`, libxml2's message with the
 * namespace shortened to `cpf:`), and what the schema cannot say (`habilis`: an idTechnique used twice, an
 * encoding other than UTF-8, a DOCTYPE). A file is fit to deposit only when `valid` is true.
 *
 * @example
 * const { valid, errors } = await validateAccrochageFile('out/accrochage.xml');
 * for (const e of errors) console.log(`line ${e.line}: ${e.message}`);
 */
export async function validateAccrochageFile(
  filePath: string,
  options: ValidateFileOptions = {},
): Promise<AccrochageValidation> {
  const chunkChars = options.chunkChars ?? 16 * 1024 * 1024;
  const maxErrors = options.maxErrors ?? 1000;
  // A small file goes to xmllint whole, at once, while the parse below makes the checks the schema cannot.
  const whole = (await stat(filePath)).size <= (options.wholeFileBytes ?? 48 * 1000 * 1000);
  const wholeRun = whole ? readFile(filePath).then(runXmllint) : undefined;
  // Settled even when the parse stops first, so that a refusal is never left unhandled.
  wholeRun?.catch(() => undefined);
  const errors: AccrochageValidationError[] = [];
  let truncated = false;
  let passages = 0;
  const addError = (e: AccrochageValidationError): void => {
    if (errors.length < maxErrors) errors.push(e);
    else truncated = true;
  };

  // Documents ready to validate; xmllint runs one at a time in its worker while the parse goes on.
  const ready: string[] = [];
  let inFlight: Promise<void> | undefined;
  const settle = async (): Promise<void> => {
    const running = inFlight;
    inFlight = undefined;
    await running;
  };
  const launchReady = async (): Promise<void> => {
    for (let xml = ready.shift(); xml !== undefined; xml = ready.shift()) {
      await settle();
      // Once the file is known broken, what is cut from it is not worth validating.
      if (truncated || !wellFormed) return;
      inFlight = runXmllint(xml).then((found) => {
        for (const e of found) addError({ ...e, source: 'xsd' });
      });
    }
  };

  const skeleton = { parts: [] as string[], chars: 0 };
  let chunk: Piece | undefined;
  const closeChunk = (): void => {
    if (chunk) {
      push(chunk, envelopeEnd);
      ready.push(chunk.parts.join(''));
    }
    chunk = undefined;
  };

  // The text read but not yet given to the skeleton or a chunk, from offset `bufferStart` of the file.
  let buffer = '';
  let bufferStart = 0;
  /** Gives the text up to offset `end` to the skeleton, or to the current chunk when inside a passage. */
  const route = (end: number): void => {
    const n = end - bufferStart;
    if (n <= 0) return;
    if (whole) {
      buffer = buffer.slice(n);
      bufferStart = end;
      return;
    }
    // A chunk is let go once validated; the skeleton lives to the end, so it keeps copies.
    if (passageStart >= 0) push(chunk!, buffer.slice(0, n));
    else push(skeleton, detach(buffer.slice(0, n)));
    buffer = buffer.slice(n);
    bufferStart = end;
  };

  const stack: Open[] = [];
  const idTechniques = new Map<string, number>();
  /** When inside a passage going to a chunk: the stack depth of its parent, and the line where it starts. */
  let passageStart = -1;
  let passageDepth = -1;
  let idText: string | undefined;
  let wellFormed = true;
  // Namespaces are resolved here rather than by saxes, whose namespace mode makes the parse twice as slow.
  const parser = new SaxesParser({ xmlns: false, position: true });

  parser.on('error', (err) => {
    if (!wellFormed) return;
    wellFormed = false;
    addError({
      line: parser.line,
      column: parser.column,
      source: 'xml',
      message: `not well-formed: ${err.message.replace(/^\d+:\d+: /, '')}`,
    });
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding))
      addError({
        line: parser.line,
        source: 'habilis',
        message: `the file declares the encoding ${decl.encoding}; the CDC takes UTF-8 only`,
      });
  });
  parser.on('doctype', () => {
    addError({
      line: parser.line,
      source: 'habilis',
      message: 'a DOCTYPE has no place in an accrochage flux',
    });
  });
  const gatherText = (text: string): void => {
    if (idText !== undefined) idText += text;
  };
  parser.on('text', gatherText);
  parser.on('cdata', gatherText);

  parser.on('opentagstart', (tag) => {
    const parent = stack[stack.length - 1];
    if (parent?.chunkScope === undefined) return;
    // A passage of a passageCertifications whose passages go to chunks: cut it out from its '<'.
    const at = buffer.lastIndexOf(`<${tag.name}`, parser.position - bufferStart);
    const start = bufferStart + at;
    // The character that ended the name was read already: when it was a line break, the tag is a line up.
    const line = /[\r\n]/.test(buffer[parser.position - bufferStart - 1] ?? '')
      ? parser.line - 1
      : parser.line;
    route(start);
    if (chunk && chunk.scope !== parent.chunkScope) closeChunk();
    if (!chunk) {
      chunk = { parts: [], chars: 0, passages: 0, line, scope: parent.chunkScope };
      push(chunk, '\n'.repeat(line - 1));
      push(chunk, envelopeStart(parent.chunkScope));
    } else {
      push(chunk, '\n'.repeat(line - chunk.line));
    }
    if (parent.movedPassages === 0) push(skeleton, stubPassage);
    parent.movedPassages++;
    chunk.passages++;
    passageStart = line;
    passageDepth = stack.length;
  });

  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    const scope = scopeOf(tag.attributes as Record<string, string>, parent?.scope ?? ROOT_SCOPE);
    const colon = tag.name.indexOf(':');
    const prefix = colon === -1 ? '' : tag.name.slice(0, colon);
    const uri = scope[prefix];
    if (prefix !== '' && uri === undefined)
      parser.fail(`unbound namespace prefix ${prefix} on <${tag.name}>.`);
    const open: Open = {
      uri,
      local: colon === -1 ? tag.name : tag.name.slice(colon + 1),
      scope,
      line: parser.line,
      movedPassages: 0,
    };
    if (isCdc(open, 'passageCertification')) passages++;
    if (!whole && passageStart < 0 && isCdc(open, 'passageCertifications') && isCdc(parent, 'certification'))
      open.chunkScope = declarations(scope);
    if (isCdc(open, 'idTechnique') && isCdc(parent, 'passageCertification')) idText = '';
    stack.push(open);
  });

  parser.on('closetag', () => {
    const open = stack.pop();
    if (!open) return;
    if (idText !== undefined && isCdc(open, 'idTechnique')) {
      const first = idTechniques.get(idText);
      if (first === undefined) idTechniques.set(detach(idText), open.line);
      else
        addError({
          line: open.line,
          source: 'habilis',
          message: `idTechnique '${idText}' is already used on line ${first}: each passage needs its own`,
        });
      idText = undefined;
    }
    if (stack.length === passageDepth && chunk) {
      route(parser.position);
      push(skeleton, '\n'.repeat(parser.line - passageStart));
      chunk.line = parser.line;
      passageStart = -1;
      passageDepth = -1;
      if (chunk.chars >= chunkChars) closeChunk();
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = (decode: () => string): void => {
    let text: string;
    try {
      text = decode();
    } catch {
      parser.fail('the file is not valid UTF-8');
      return;
    }
    buffer += text;
    parser.write(text);
    // What comes before the last '<' is settled; from it on, it may be the start of a passage yet to be named.
    const lastTag = buffer.lastIndexOf('<');
    route(lastTag === -1 ? bufferStart + buffer.length : bufferStart + lastTag);
  };
  const stream = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  try {
    for await (const data of stream) {
      feed(() => decoder.decode(data as Buffer, { stream: true }));
      await launchReady();
      if (!wellFormed || truncated) break;
    }
    if (wellFormed && !truncated) {
      feed(() => decoder.decode());
      if (wellFormed) parser.close();
    }
    if (wellFormed && !truncated && wholeRun) {
      for (const e of await wholeRun) addError({ ...e, source: 'xsd' });
    } else if (wellFormed && !truncated) {
      route(bufferStart + buffer.length);
      closeChunk();
      ready.push(skeleton.parts.join(''));
      await launchReady();
    }
    await settle();
  } finally {
    stream.destroy();
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { valid: errors.length === 0 && !truncated, errors, truncated, passages };
}
