import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { uuid } from '../../../core/common.schema.js';
import { type Contract, fillPath } from '../../../core/contracts/contract.js';
import { reports } from '../../../core/contracts/index.js';

/**
 * Every list export, taken from the contracts (so that a new export is covered the day it is declared):
 * the GETs under /api/reports/exports/, which all take `format` and `lang`.
 */
const exportContracts = (Object.values(reports) as unknown[]).filter(
  (c): c is Contract =>
    typeof c === 'object' &&
    c !== null &&
    'path' in c &&
    typeof c.path === 'string' &&
    c.path.startsWith('/api/reports/exports/'),
);

/** The path parameters of a contract, and whether each is an id (the shared `uuid` schema). */
function pathParams(contract: Contract): { name: string; isId: boolean }[] {
  const shape = (contract.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  return [...contract.path.matchAll(/:([a-zA-Z]+)/g)].map(([, name]) => ({
    name: name!,
    isId: shape[name!] === uuid,
  }));
}

/** The path with every parameter filled: ids with `id`, other parameters with a valid-looking value. */
const pathWith = (contract: Contract, id: string) =>
  fillPath(
    contract.path,
    Object.fromEntries(pathParams(contract).map((p) => [p.name, p.isId ? id : 'RNCP00000'])),
  );

const withId = exportContracts.filter((c) => pathParams(c).some((p) => p.isId));

describe('list exports: bad input on every export route', () => {
  let server: TestServer;
  let admin: SignedIn;

  beforeAll(async () => {
    server = await newTestServer();
    // The administrator holds every read permission the exports need: only the input decides the answer.
    admin = await server.signIn('admin');
  });
  afterAll(() => server.close());

  it('finds the exports in the contracts, each a GET taking format and lang', () => {
    expect(exportContracts.length).toBeGreaterThanOrEqual(30);
    expect(withId.length).toBeGreaterThanOrEqual(8);
    for (const c of exportContracts) {
      expect(c.method, c.path).toBe('GET');
      const shape = (c.query as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      expect(Object.keys(shape), c.path).toEqual(expect.arrayContaining(['format', 'lang']));
    }
  });

  it.each(exportContracts.map((c) => [c.path, c] as const))(
    '%s: format=xml is 400 validation_failed naming format',
    async (_path, contract) => {
      const res = await server.as(admin, {
        method: 'GET',
        url: `${pathWith(contract, randomUUID())}?format=xml`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        code: 'validation_failed',
        status: 400,
        errors: [expect.objectContaining({ field: 'format' })],
      });
    },
  );

  it.each(withId.map((c) => [c.path, c] as const))(
    '%s: a non-UUID id is 400 validation_failed naming the id',
    async (_path, contract) => {
      const res = await server.as(admin, { method: 'GET', url: pathWith(contract, 'not-a-uuid') });
      expect(res.statusCode).toBe(400);
      const ids = pathParams(contract).filter((p) => p.isId);
      expect(res.json()).toMatchObject({
        code: 'validation_failed',
        status: 400,
        errors: ids.map((p) => expect.objectContaining({ field: p.name })),
      });
    },
  );

  it.each(withId.map((c) => [c.path, c] as const))(
    '%s: an unknown UUID is 404 not_found, in both formats',
    async (_path, contract) => {
      for (const format of ['csv', 'xlsx']) {
        const res = await server.as(admin, {
          method: 'GET',
          url: `${pathWith(contract, randomUUID())}?format=${format}`,
        });
        expect(res.statusCode, format).toBe(404);
        expect(res.headers['content-type'], format).toMatch(/^application\/problem\+json/);
        expect(res.json(), format).toMatchObject({ code: 'not_found', status: 404 });
      }
    },
  );

  it('a fiche history export for a code the registry does not hold is 404 not_found, in both formats', async () => {
    const history = exportContracts.find((c) => c.path.endsWith('/registry-fiches/:code/history'));
    expect(history).toBeDefined();
    for (const format of ['csv', 'xlsx']) {
      const res = await server.as(admin, {
        method: 'GET',
        url: `${fillPath(history!.path, { code: 'RNCP99999' })}?format=${format}`,
      });
      expect(res.statusCode, format).toBe(404);
      expect(res.json(), format).toMatchObject({ code: 'not_found', status: 404 });
    }
  });
});
