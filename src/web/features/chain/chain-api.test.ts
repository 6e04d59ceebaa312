import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { fileNameOf, templateUrl, uploadChainFile, withQuery } from './chain-api.js';

const file = (name: string, text: string) => new File([text], name, { type: 'text/csv' });

describe('chain requests', () => {
  it('builds addresses without empty values', () => {
    expect(withQuery('/api/x', { a: 'b', c: undefined, d: '', e: true })).toBe('/api/x?a=b&e=true');
    expect(withQuery('/api/x', {})).toBe('/api/x');
    expect(templateUrl('assessment-results', 'csv')).toBe(
      '/api/chain-uploads/templates/assessment-results?format=csv',
    );
  });

  it('reads the file name of a Content-Disposition header', () => {
    expect(fileNameOf('attachment; filename="accrochage-2026-11-23.xml"', 'x.xml')).toBe(
      'accrochage-2026-11-23.xml',
    );
    expect(fileNameOf(null, 'x.xml')).toBe('x.xml');
  });

  it('sends a dry run with its query and the CSRF token, and returns the report', async () => {
    let seen: { url: string; init: RequestInit } | null = null;
    const report = { kind: 'training-sessions', errors: [], committed: false };
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const got = await uploadChainFile(
      file('s.csv', 'a;b'),
      { kind: 'training-sessions', dryRun: true, organisationId: 'org-1' },
      'token',
      fetchImpl,
    );
    expect(got).toEqual(report);
    expect(seen!.url).toBe('/api/chain-uploads/training-sessions?dryRun=true&organisationId=org-1');
    expect((seen!.init.headers as Record<string, string>)['x-csrf-token']).toBe('token');
    expect(seen!.init.body).toBeInstanceOf(FormData);
  });

  it('turns a refused real run (422 import_rejected) into a report listing every error', async () => {
    const errors = [{ line: 3, column: 'sexe', message: 'must be F or M' }];
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          code: 'import_rejected',
          detail: 'r.csv has 1 error(s)',
          details: { errors, rowCount: 4 },
        }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      )) as unknown as typeof fetch;
    const got = await uploadChainFile(
      file('r.csv', 'x'),
      { kind: 'assessment-results', dryRun: false, assessmentSessionId: 's-1' },
      't',
      fetchImpl,
    );
    expect(got).toMatchObject({ committed: false, dryRun: false, rowCount: 4, errors, format: 'csv' });
  });

  it('passes any other refusal on as an ApiError', async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ code: 'not_found', detail: 'no session' }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      })) as unknown as typeof fetch;
    await expect(
      uploadChainFile(file('r.csv', 'x'), { kind: 'assessment-results', dryRun: true }, 't', fetchImpl),
    ).rejects.toBeInstanceOf(ApiError);
  });
});
