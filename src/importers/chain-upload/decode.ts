import iconv from 'iconv-lite';

/**
 * Decoding of an uploaded CSV: UTF-8 (with or without BOM), Windows-1252 (what Excel writes for « CSV
 * (séparateur : point-virgule) »), or UTF-16 with its byte-order mark. Anything else is refused with the
 * line where the problem is, rather than read into wrong letters.
 */

export type UploadEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** Why a CSV could not be decoded, as a stable upload-issue code (docs/chain-upload.md). */
export type DecodeFailureCode =
  | 'encoding_binary'
  | 'encoding_invalid_utf8'
  | 'encoding_unknown_byte'
  | 'encoding_mixed';

export type DecodedText =
  | { ok: true; text: string; encoding: UploadEncoding }
  | {
      ok: false;
      line: number;
      message: string;
      code: DecodeFailureCode;
      params: Record<string, string | number>;
    };

/** Bytes Windows-1252 leaves undefined: a file holding one is neither UTF-8 nor 1252. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Offset of the first byte that is not valid UTF-8 (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

const lineAt = (bytes: Uint8Array, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
};

/** Offset of a UTF-8 encoded Latin-1 letter (`C3 80`–`C3 BF`: À…ÿ), or -1: in 1252 text it reads `Ã` + symbol. */
function utf8LetterAt(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++)
    if (bytes[i] === 0xc3 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0xbf) return i;
  return -1;
}

/**
 * Decodes a whole CSV upload, detecting its encoding. Refuses, naming the line: NUL bytes (a binary file
 * or UTF-16 without its mark), a file mixing UTF-8 and Windows-1252, bytes in neither encoding.
 *
 * @example decodeUpload(Buffer.from('nom;prénom', 'latin1')) // { ok: true, text: 'nom;prénom', encoding: 'windows-1252' }
 */
export function decodeUpload(bytes: Uint8Array): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe)
    return { ok: true, text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff)
    return { ok: true, text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const nul = buffer.indexOf(0);
  if (nul !== -1)
    return {
      ok: false,
      line: lineAt(buffer, nul),
      code: 'encoding_binary',
      params: { line: lineAt(buffer, nul) },
      message:
        'the file holds NUL bytes: it is not a text CSV (UTF-16 without byte-order mark, or a binary file); save it as « CSV UTF-8 »',
    };
  const hasBom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  const body = hasBom ? buffer.subarray(3) : buffer;
  const invalid = firstInvalidUtf8(body);
  if (invalid === -1) return { ok: true, text: body.toString('utf8'), encoding: 'utf-8' };
  if (hasBom)
    return {
      ok: false,
      line: lineAt(body, invalid),
      code: 'encoding_invalid_utf8',
      params: { line: lineAt(body, invalid) },
      message:
        'the file says it is UTF-8 (byte-order mark) but this line is not valid UTF-8: save it again as « CSV UTF-8 »',
    };
  const undefinedAt = body.findIndex((b) => CP1252_UNDEFINED.has(b));
  if (undefinedAt !== -1)
    return {
      ok: false,
      line: lineAt(body, undefinedAt),
      code: 'encoding_unknown_byte',
      params: { line: lineAt(body, undefinedAt), byte: `0x${body[undefinedAt]!.toString(16)}` },
      message: `byte 0x${body[undefinedAt]!.toString(16)} is neither UTF-8 nor Windows-1252: save the file as « CSV UTF-8 »`,
    };
  const letter = utf8LetterAt(body);
  if (letter !== -1)
    return {
      ok: false,
      line: lineAt(body, invalid),
      code: 'encoding_mixed',
      params: { line: lineAt(body, invalid), utf8Line: lineAt(body, letter) },
      message: `the file mixes encodings (UTF-8 on line ${lineAt(body, letter)}, Windows-1252 on line ${lineAt(body, invalid)}): save it again as « CSV UTF-8 »`,
    };
  return { ok: true, text: iconv.decode(body, 'win1252'), encoding: 'windows-1252' };
}
