import { AppError } from '../errors.js';

/**
 * Which files Habilis keeps as evidence, decided on their content (the first bytes), not only on what the
 * browser declares: a declared type or a file name can say anything, the bytes cannot.
 */

/** How much of the start of a file is needed to recognise it. */
export const SNIFF_BYTES = 4096;

/** 50 MiB: a scanned convention or an audit photo set fits; a video does not belong here. */
export const MAX_EVIDENCE_BYTES = 50 * 1024 * 1024;

/** Kinds of content recognisable from the first bytes. Office formats are ZIP (OOXML, ODF) or OLE (97-2003). */
export type ContentFamily = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'heic' | 'zip' | 'ole' | 'text';

interface AcceptedType {
  family: ContentFamily;
  extensions: readonly string[];
  label: string;
}

/** The allow-list: media type → the content it must have and the file extensions that name it. */
export const acceptedMediaTypes: Readonly<Record<string, AcceptedType>> = {
  'application/pdf': { family: 'pdf', extensions: ['.pdf'], label: 'PDF' },
  'image/png': { family: 'png', extensions: ['.png'], label: 'PNG image' },
  'image/jpeg': { family: 'jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG image' },
  'image/gif': { family: 'gif', extensions: ['.gif'], label: 'GIF image' },
  'image/webp': { family: 'webp', extensions: ['.webp'], label: 'WebP image' },
  'image/heic': { family: 'heic', extensions: ['.heic', '.heif'], label: 'HEIC image' },
  'application/zip': { family: 'zip', extensions: ['.zip'], label: 'ZIP archive' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    family: 'zip',
    extensions: ['.docx'],
    label: 'Word document',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    family: 'zip',
    extensions: ['.xlsx'],
    label: 'Excel workbook',
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    family: 'zip',
    extensions: ['.pptx'],
    label: 'PowerPoint presentation',
  },
  'application/vnd.oasis.opendocument.text': {
    family: 'zip',
    extensions: ['.odt'],
    label: 'OpenDocument text',
  },
  'application/vnd.oasis.opendocument.spreadsheet': {
    family: 'zip',
    extensions: ['.ods'],
    label: 'OpenDocument spreadsheet',
  },
  'application/vnd.oasis.opendocument.presentation': {
    family: 'zip',
    extensions: ['.odp'],
    label: 'OpenDocument presentation',
  },
  'application/msword': { family: 'ole', extensions: ['.doc'], label: 'Word 97-2003 document' },
  'application/vnd.ms-excel': { family: 'ole', extensions: ['.xls'], label: 'Excel 97-2003 workbook' },
  'application/vnd.ms-powerpoint': { family: 'ole', extensions: ['.ppt'], label: 'PowerPoint 97-2003' },
  'text/csv': { family: 'text', extensions: ['.csv'], label: 'CSV' },
  'text/plain': { family: 'text', extensions: ['.txt'], label: 'text' },
};

/** Other names browsers and systems give to accepted types. */
const aliases: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/heif': 'image/heic',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'text/x-csv': 'text/csv',
  'application/csv': 'text/csv',
  'application/x-pdf': 'application/pdf',
};

/** Declared types that say nothing about the content (the browser did not know). */
const uninformative = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** The type a family falls back to when neither the extension nor the declared type chose one. */
const defaultType: Partial<Record<ContentFamily, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  zip: 'application/zip',
  text: 'text/plain',
  // ole: none. Word, Excel and PowerPoint 97-2003 share the container; without a name it is a guess.
};

const familyLabel: Record<ContentFamily, string> = {
  pdf: 'a PDF',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  heic: 'a HEIC image',
  zip: 'a ZIP container (ZIP, Word, Excel, OpenDocument)',
  ole: 'an Office 97-2003 document',
  text: 'text',
};

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function looksLikeText(head: Uint8Array): boolean {
  // UTF-16 with a byte-order mark: Excel's "Unicode text" export.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  for (const byte of head) {
    // NUL and C0 controls other than tab, line feed, form feed, carriage return and SUB (old DOS end of
    // file) do not occur in text.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1a)
      return false;
  }
  // Past the control bytes, any encoding is accepted: UTF-8 and the Windows-1252 of older CSV exports alike.
  return true;
}

/**
 * Recognises the kind of content from the first bytes of a file (give at least `SNIFF_BYTES` when the file
 * is that long). Returns null when it is none of the accepted kinds.
 *
 * @example sniffContent(new TextEncoder().encode('%PDF-1.7')) === 'pdf'
 */
export function sniffContent(head: Uint8Array): ContentFamily | null {
  if (head.length === 0) return null;
  // PDF readers accept the header anywhere in the first 1024 bytes.
  const pdfMagic = ascii('%PDF-');
  for (let at = 0; at < Math.min(head.length, 1024); at++) if (startsWith(head, pdfMagic, at)) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1'].includes(brand))
      return 'heic';
    return null;
  }
  if (
    startsWith(head, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(head, [0x50, 0x4b, 0x05, 0x06]) ||
    startsWith(head, [0x50, 0x4b, 0x07, 0x08])
  )
    return 'zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  return looksLikeText(head) ? 'text' : null;
}

/** `rapport.PDF` → `.pdf`; no extension → ''. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot).toLowerCase() : '';
}

/**
 * A file name fit to store and to send back in Content-Disposition: the last path segment (some browsers
 * send `C:\fakepath\x.pdf`), without control characters, at most 255 characters keeping the extension.
 */
export function cleanFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!cleaned || cleaned === '.' || cleaned === '..') return 'file';
  if (cleaned.length <= 255) return cleaned;
  const ext = extensionOf(cleaned).slice(0, 16);
  return cleaned.slice(0, 255 - ext.length) + ext;
}

function normaliseDeclared(declared: string | undefined): string {
  const bare = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return aliases[bare] ?? bare;
}

const unsupported = (message: string, details: Record<string, unknown>) =>
  new AppError('unsupported_media_type', message, {
    details,
    fields: [{ field: 'file', message }],
  });

/**
 * Decides the media type a file is stored and served with, from its first bytes, its name and the type the
 * client declared, or throws `unsupported_media_type` (415) saying why: content of no accepted kind, a
 * declared type outside the allow-list, or a declared type or extension that contradicts the content.
 * An empty file is `validation_failed`: it proves nothing.
 */
export function resolveEvidenceMediaType(input: {
  head: Uint8Array;
  fileName: string;
  declaredType?: string | undefined;
}): string {
  if (input.head.length === 0)
    throw new AppError('validation_failed', 'The file is empty', {
      fields: [{ field: 'file', message: 'the file is empty' }],
    });
  const declared = normaliseDeclared(input.declaredType);
  const ext = extensionOf(input.fileName);
  const family = sniffContent(input.head);
  const details = { fileName: input.fileName, declaredType: declared || null, detected: family };
  const accepted = Object.values(acceptedMediaTypes)
    .map((t) => t.label)
    .filter((label, i, all) => all.indexOf(label) === i)
    .join(', ');
  if (family === null)
    throw unsupported(
      `The content of ${input.fileName} is not an accepted kind of file (accepted: ${accepted})`,
      details,
    );

  const declaredEntry = acceptedMediaTypes[declared];
  if (!uninformative.has(declared)) {
    if (!declaredEntry)
      throw unsupported(`Files of type ${declared} are not accepted (accepted: ${accepted})`, details);
    // Windows declares CSV files with Excel's type; their content (text) and name decide.
    const csvFromWindows = declared === 'application/vnd.ms-excel' && family === 'text' && ext === '.csv';
    if (declaredEntry.family !== family && !csvFromWindows)
      throw unsupported(
        `${input.fileName} is declared as ${declared} but its content is ${familyLabel[family]}`,
        details,
      );
  }

  // Text is accepted as plain text or CSV: a web page, a script or an SVG is text too, and is no evidence.
  if (family === 'text' && ext !== '' && ext !== '.txt' && ext !== '.csv')
    throw unsupported(`${input.fileName}: text files are accepted as .txt or .csv only`, details);
  const byExtension = Object.entries(acceptedMediaTypes).find(([, t]) => t.extensions.includes(ext));
  if (byExtension && byExtension[1].family !== family)
    throw unsupported(`${input.fileName} is named ${ext} but its content is ${familyLabel[family]}`, details);
  if (byExtension) return byExtension[0];
  if (declaredEntry && declaredEntry.family === family) return declared;
  const fallback = defaultType[family];
  if (!fallback)
    throw unsupported(
      `${input.fileName} is ${familyLabel[family]} but its name does not say which (.doc, .xls or .ppt)`,
      details,
    );
  return fallback;
}
