import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.js';
import { evidenceLinkRefusal } from './evidence.js';
import { cleanFileName, resolveEvidenceMediaType, sniffContent } from './media-types.js';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

const pdf = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR');
const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF');
const zip = bytes([0x50, 0x4b, 0x03, 0x04], '[Content_Types].xml');
const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
const csv = bytes('nom;prénom;date\nDurand;Léa;2025-01-02\n');
const latin1Csv = bytes('nom;pr\xe9nom\nDurand;L\xe9a\n');
const exe = bytes('MZ', [0x90, 0x00, 0x03, 0x00]);
const html = bytes('<!doctype html><script>alert(1)</script>');

const refusal = (input: Parameters<typeof resolveEvidenceMediaType>[0]) => {
  try {
    resolveEvidenceMediaType(input);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
};

describe('content sniffing', () => {
  it('recognises each accepted kind from its first bytes', () => {
    expect(sniffContent(pdf)).toBe('pdf');
    expect(sniffContent(png)).toBe('png');
    expect(sniffContent(jpeg)).toBe('jpeg');
    expect(sniffContent(bytes('GIF89a', [1, 0]))).toBe('gif');
    expect(sniffContent(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('webp');
    expect(sniffContent(bytes([0, 0, 0, 0x18], 'ftypheic'))).toBe('heic');
    expect(sniffContent(zip)).toBe('zip');
    expect(sniffContent(ole)).toBe('ole');
    expect(sniffContent(csv)).toBe('text');
    expect(sniffContent(latin1Csv)).toBe('text');
    expect(sniffContent(bytes([0xff, 0xfe], 'n\0o\0m\0'))).toBe('text');
  });

  it('recognises nothing in an executable or arbitrary binary', () => {
    expect(sniffContent(exe)).toBeNull();
    expect(sniffContent(bytes([0x7f], 'ELF', [2, 1, 1, 0]))).toBeNull();
    expect(sniffContent(bytes([0, 0, 0, 0x18], 'ftypmp42'))).toBeNull();
  });
});

describe('deciding the stored media type', () => {
  it('follows the content and the name', () => {
    expect(
      resolveEvidenceMediaType({ head: pdf, fileName: 'convention.pdf', declaredType: 'application/pdf' }),
    ).toBe('application/pdf');
    expect(
      resolveEvidenceMediaType({
        head: zip,
        fileName: 'liste.xlsx',
        declaredType: 'application/octet-stream',
      }),
    ).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(resolveEvidenceMediaType({ head: zip, fileName: 'preuves.zip' })).toBe('application/zip');
    expect(resolveEvidenceMediaType({ head: ole, fileName: 'ancien.DOC' })).toBe('application/msword');
    expect(
      resolveEvidenceMediaType({
        head: csv,
        fileName: 'emargement.csv',
        declaredType: 'text/csv; charset=utf-8',
      }),
    ).toBe('text/csv');
    expect(resolveEvidenceMediaType({ head: jpeg, fileName: 'photo', declaredType: 'image/jpg' })).toBe(
      'image/jpeg',
    );
  });

  it('takes the CSV that Windows declares as an Excel file', () => {
    expect(
      resolveEvidenceMediaType({
        head: csv,
        fileName: 'export.csv',
        declaredType: 'application/vnd.ms-excel',
      }),
    ).toBe('text/csv');
  });

  it('refuses content of no accepted kind, whatever is declared', () => {
    const error = refusal({ head: exe, fileName: 'rapport.pdf', declaredType: 'application/pdf' });
    expect(error.code).toBe('unsupported_media_type');
    expect(error.message).toContain('not an accepted kind');
    expect(error.fields?.[0]?.field).toBe('file');
  });

  it('refuses a declared type that contradicts the content', () => {
    const error = refusal({ head: png, fileName: 'scan', declaredType: 'application/pdf' });
    expect(error.code).toBe('unsupported_media_type');
    expect(error.message).toBe('scan is declared as application/pdf but its content is a PNG image');
  });

  it('refuses a name that contradicts the content', () => {
    expect(refusal({ head: pdf, fileName: 'photo.png' }).message).toBe(
      'photo.png is named .png but its content is a PDF',
    );
  });

  it('refuses declared types outside the allow-list, and text named as a web page', () => {
    expect(refusal({ head: html, fileName: 'page.html', declaredType: 'text/html' }).message).toContain(
      'Files of type text/html are not accepted',
    );
    expect(
      refusal({ head: html, fileName: 'page.html', declaredType: 'application/octet-stream' }).message,
    ).toBe('page.html: text files are accepted as .txt or .csv only');
    expect(refusal({ head: html, fileName: 'image.svg' }).code).toBe('unsupported_media_type');
    expect(refusal({ head: ole, fileName: 'mystere' }).code).toBe('unsupported_media_type');
  });

  it('refuses an empty file as invalid input', () => {
    const error = refusal({ head: new Uint8Array(), fileName: 'vide.pdf' });
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([{ field: 'file', message: 'the file is empty' }]);
  });
});

describe('file names', () => {
  it('keeps the last path segment, without control characters', () => {
    expect(cleanFileName('C:\\fakepath\\Convention signée.pdf')).toBe('Convention signée.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(cleanFileName('..')).toBe('file');
  });

  it('shortens long names and keeps the extension', () => {
    const name = cleanFileName(`${'x'.repeat(400)}.pdf`);
    expect(name).toHaveLength(255);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('who may link evidence to what', () => {
  const org = (organisationId: string) => ({ kind: 'organisation' as const, organisationId });

  it('hides other organisations’ and the certifier’s records from a partner', () => {
    expect(evidenceLinkRefusal({ partnerScope: 'a', fileOrganisationId: 'a', owner: org('b') })).toEqual({
      kind: 'hidden',
    });
    expect(
      evidenceLinkRefusal({ partnerScope: 'a', fileOrganisationId: 'a', owner: { kind: 'certifier' } }),
    ).toEqual({
      kind: 'hidden',
    });
    expect(evidenceLinkRefusal({ partnerScope: 'a', fileOrganisationId: 'a', owner: org('a') })).toBeNull();
    expect(
      evidenceLinkRefusal({ partnerScope: 'a', fileOrganisationId: 'a', owner: { kind: 'public' } }),
    ).toBeNull();
  });

  it('does not put one organisation’s file on another’s record', () => {
    expect(evidenceLinkRefusal({ partnerScope: null, fileOrganisationId: 'a', owner: org('b') })?.kind).toBe(
      'mismatch',
    );
    expect(evidenceLinkRefusal({ partnerScope: null, fileOrganisationId: null, owner: org('b') })).toBeNull();
    expect(
      evidenceLinkRefusal({ partnerScope: null, fileOrganisationId: 'a', owner: { kind: 'certifier' } }),
    ).toBeNull();
  });
});
