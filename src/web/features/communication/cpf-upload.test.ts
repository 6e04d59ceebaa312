import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { refusalPlace, shortValue, uploadCpfCatalogue } from './cpf-upload.js';

const file = new File(['numero_formation;siret\n'], 'catalogue.csv', { type: 'text/csv' });

describe('uploadCpfCatalogue', () => {
  it('posts the file in a part named file, with the CSRF token, and answers the summary', async () => {
    let seen: { url: string; init: RequestInit } | null = null;
    const summary = await uploadCpfCatalogue(file, 'token-1', false, async (url, init) => {
      seen = { url: String(url), init: init as RequestInit };
      return new Response(JSON.stringify({ offers: 1, matched: 1 }), { status: 200 });
    });
    expect(summary).toMatchObject({ offers: 1, matched: 1 });
    expect(seen!.url).toBe('/api/cpf-offers/imports');
    expect((seen!.init.headers as Record<string, string>)['x-csrf-token']).toBe('token-1');
    expect((seen!.init.body as FormData).get('file')).toBeInstanceOf(File);
  });

  it('asks to force an extract, and turns a refusal into an ApiError with its line', async () => {
    let url = '';
    const error = await uploadCpfCatalogue(file, null, true, async (u) => {
      url = String(u);
      return new Response(
        JSON.stringify({
          code: 'import_rejected',
          detail: 'catalogue.csv: line 3: broken quoting',
          details: { file: 'catalogue.csv', line: 3, column: 'siret' },
        }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      );
    }).catch((e: unknown) => e);
    expect(url).toBe('/api/cpf-offers/imports?force=true');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('import_rejected');
    expect(refusalPlace(error)).toEqual({ line: 3, column: 'siret' });
    expect(
      refusalPlace(new ApiError('import_rejected', 422, 'x', [], { reason: 'partial_catalogue' })),
    ).toEqual({
      partial: true,
    });
  });

  it('reports a network failure as network_error', async () => {
    const error = await uploadCpfCatalogue(file, null, false, async () => {
      throw new Error('offline');
    }).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('network_error');
  });
});

describe('shortValue', () => {
  it('shows a changed value on one short line', () => {
    expect(shortValue(null)).toBe('—');
    expect(shortValue(1500)).toBe('1500');
    expect(shortValue('x'.repeat(100))).toHaveLength(80);
  });
});
