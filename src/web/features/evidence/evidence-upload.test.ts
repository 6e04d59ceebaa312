import { describe, expect, it, vi } from 'vitest';
import { downloadUrl, fileSize, uploadEvidenceFile, uploadUrl } from './evidence-upload.js';

const id = '11111111-1111-4111-8111-111111111111';

describe('evidence upload', () => {
  it('puts the metadata in the query string, leaving out empty values', () => {
    expect(
      uploadUrl({
        organisationId: id,
        entityType: 'convention',
        entityId: id,
        purpose: 'signed_convention',
        description: ' ',
      }),
    ).toBe(
      `/api/evidence?organisationId=${id}&entityType=convention&entityId=${id}&purpose=signed_convention`,
    );
    expect(uploadUrl({})).toBe('/api/evidence');
    expect(downloadUrl(id)).toBe(`/api/evidence/${id}/content`);
  });

  it('sends the file as multipart with the CSRF token, and reads a refusal as an ApiError', async () => {
    const fetch = vi.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(
          JSON.stringify({
            code: 'unsupported_media_type',
            detail: 'not a PDF',
            errors: [{ field: 'file', message: 'x' }],
          }),
          { status: 415, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    const file = new File(['hello'], 'convention.pdf', { type: 'application/pdf' });
    const error = await uploadEvidenceFile(
      file,
      { organisationId: id },
      'csrf-1',
      fetch as unknown as typeof globalThis.fetch,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'unsupported_media_type',
      status: 415,
      fields: [{ field: 'file', message: 'x' }],
    });
    const [url, init] = fetch.mock.calls[0] ?? [];
    const headers = (init?.headers ?? {}) as Record<string, string>;
    expect(url).toBe(`/api/evidence?organisationId=${id}`);
    expect(init?.method).toBe('POST');
    expect(headers['x-csrf-token']).toBe('csrf-1');
    // The browser sets the multipart boundary itself: no content type may be forced.
    expect(headers['content-type']).toBeUndefined();
    const sent = init?.body as FormData;
    expect((sent.get('file') as File).name).toBe('convention.pdf');
  });

  it('gives sizes in the largest fitting unit, in the UI language', () => {
    expect(fileSize(512, 'fr')).toEqual({ unit: 'bytes', value: '512' });
    expect(fileSize(1536, 'fr')).toEqual({ unit: 'kilobytes', value: '1,5' });
    expect(fileSize(5 * 1024 * 1024, 'en')).toEqual({ unit: 'megabytes', value: '5' });
  });
});
