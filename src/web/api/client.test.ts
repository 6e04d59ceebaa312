import { describe, expect, it, vi } from 'vitest';
import { audit, auth, organisations } from '../../core/contracts/index.js';
import { ApiClient, ApiError } from './client.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records what it was asked and answers what the test says (the network is the edge). */
function fakeFetch(answer: () => Response) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body as string | undefined,
    });
    return answer();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const problem = (status: number, code: string, errors?: { field: string; message: string }[]) =>
  json(
    status,
    { type: `urn:habilis:error:${code}`, title: 't', status, code, detail: `detail of ${code}`, errors },
    'application/problem+json; charset=utf-8',
  );

const orgId = '0b7c3f6e-8a51-4c1e-9a59-2b1f4f0d9c11';

describe(ApiClient.name, () => {
  it('fills the path, encodes the query without empty values, and sends no CSRF header on a GET', async () => {
    const { fetch, sent } = fakeFetch(() => json(200, { items: [], total: 0, limit: 10, offset: 0 }));
    const client = new ApiClient({ fetch });
    client.setCsrfToken('csrf-1');
    await client.call(organisations.listOrganisations, {
      query: { q: 'Forma sud', qualiopiStatus: undefined, limit: 10, includeArchived: 'true' },
    });
    await client.call(organisations.getOrganisation, { params: { id: orgId } });
    expect(sent[0]?.url).toBe('/api/organisations?q=Forma+sud&limit=10&includeArchived=true');
    expect(sent[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(sent[1]?.url).toBe(`/api/organisations/${orgId}`);
  });

  it('sends the body as JSON with the session’s CSRF token on a change', async () => {
    const { fetch, sent } = fakeFetch(() => json(201, { id: orgId }));
    const client = new ApiClient({ fetch });
    client.setCsrfToken('csrf-2');
    await client.call(organisations.createOrganisation, {
      body: { siret: '73282932000074', legalName: 'Formasud' },
    });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/organisations',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'csrf-2' },
    });
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ siret: '73282932000074', legalName: 'Formasud' });
  });

  it('sends no content type on a POST without body (Fastify refuses an empty JSON body)', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json(200, { ok: true, entries: 0, lastHash: null, firstBroken: null }),
    );
    const client = new ApiClient({ fetch });
    client.setCsrfToken('csrf-3');
    await client.call(audit.verifyAuditLog);
    expect(sent[0]?.headers['content-type']).toBeUndefined();
    expect(sent[0]?.headers['x-csrf-token']).toBe('csrf-3');
    expect(sent[0]?.body).toBeUndefined();
  });

  it('answers null for 204 No Content', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(new ApiClient({ fetch }).call(auth.logout)).resolves.toBeNull();
  });

  it('turns problem+json into an ApiError with its code, status, detail and fields', async () => {
    const { fetch } = fakeFetch(() =>
      problem(409, 'conflict', [{ field: 'siret', message: 'already registered' }]),
    );
    const error = await new ApiClient({ fetch })
      .call(organisations.createOrganisation, { body: { siret: '73282932000074', legalName: 'X' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'conflict',
      status: 409,
      detail: 'detail of conflict',
      fields: [{ field: 'siret', message: 'already registered' }],
    });
  });

  it('maps a code it does not know, or an error body that is not a problem, to internal', async () => {
    const unknown = fakeFetch(() => problem(418, 'teapot'));
    await expect(new ApiClient({ fetch: unknown.fetch }).call(auth.currentSession)).rejects.toMatchObject({
      code: 'internal',
      status: 418,
    });
    const html = fakeFetch(
      () => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    await expect(new ApiClient({ fetch: html.fetch }).call(auth.currentSession)).rejects.toMatchObject({
      code: 'internal',
      status: 502,
    });
  });

  it('announces a lost session (unauthenticated) and forgets the CSRF token', async () => {
    const { fetch, sent } = fakeFetch(() => problem(401, 'unauthenticated'));
    const client = new ApiClient({ fetch });
    client.setCsrfToken('csrf-4');
    const listener = vi.fn();
    client.onUnauthenticated(listener);
    await expect(client.call(audit.verifyAuditLog)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(listener).toHaveBeenCalledOnce();
    await client.call(audit.verifyAuditLog).catch(() => {});
    expect(sent[1]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('does not treat a wrong password (401 invalid_credentials) as a lost session', async () => {
    const { fetch } = fakeFetch(() => problem(401, 'invalid_credentials'));
    const client = new ApiClient({ fetch });
    const listener = vi.fn();
    client.onUnauthenticated(listener);
    await expect(client.call(auth.login, { body: { email: 'a@b.fr', password: 'x' } })).rejects.toMatchObject(
      {
        code: 'invalid_credentials',
      },
    );
    expect(listener).not.toHaveBeenCalled();
  });

  it('reports an unreachable server as network_error', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof globalThis.fetch;
    await expect(new ApiClient({ fetch }).call(auth.currentSession)).rejects.toMatchObject({
      code: 'network_error',
      status: 0,
    });
  });
});
