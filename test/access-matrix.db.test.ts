import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Role, roles } from '../src/core/access/policy.js';
import type { Contract } from '../src/core/contracts/contract.js';
import * as contracts from '../src/core/contracts/index.js';
import { newTestServer, type SignedIn, type TestServer } from './server.js';

/** Every contract the API publishes, found by walking the contract modules. */
function allContracts(): [string, Contract][] {
  const found: [string, Contract][] = [];
  for (const [moduleName, mod] of Object.entries(contracts)) {
    if (typeof mod !== 'object' || mod === null) continue;
    for (const [name, value] of Object.entries(mod)) {
      const c = value as Partial<Contract>;
      if (
        c &&
        typeof c === 'object' &&
        typeof c.path === 'string' &&
        typeof c.method === 'string' &&
        c.access
      ) {
        found.push([`${moduleName}.${name}`, c as Contract]);
      }
    }
  }
  return found;
}

/** Session routes that any signed-in user may call about itself. */
const ownSessionRoutes = new Set(['/api/auth/session', '/api/auth/logout', '/api/auth/password']);

const request = (c: Contract) => ({
  method: c.method,
  url: c.path.replace(/:([a-zA-Z]+)/g, () => randomUUID()),
  ...(c.method === 'GET' || c.method === 'DELETE' ? {} : { payload: {} }),
});

describe('access matrix: every route × every role', () => {
  let server: TestServer;
  const signedIn = new Map<Role, SignedIn>();
  const list = allContracts();

  beforeAll(async () => {
    server = await newTestServer();
    for (const role of roles) signedIn.set(role, await server.signIn(role));
  });
  afterAll(() => server.close());

  it('finds the contracts, each registered as a route', () => {
    expect(list.length).toBeGreaterThan(10);
    for (const [, c] of list)
      expect(server.app.hasRoute({ method: c.method, url: c.path }), `${c.method} ${c.path}`).toBe(true);
  });

  it('every session route names the permission it needs (or is about the caller’s own session)', () => {
    const missing = list.filter(
      ([, c]) => c.access === 'session' && !c.action && !ownSessionRoutes.has(c.path),
    );
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('answers 401 without a session on every non-public route', async () => {
    for (const [name, c] of list.filter(([, c]) => c.access === 'session')) {
      const res = await server.as(undefined, request(c));
      expect(res.statusCode, name).toBe(401);
      expect(res.json().code, name).toBe('unauthenticated');
    }
  });

  for (const role of roles) {
    it(`${role}: 403 exactly where the role lacks the permission`, async () => {
      const user = signedIn.get(role)!;
      for (const [name, c] of list) {
        if (c.path === '/api/auth/logout') continue; // would end the session the loop uses; covered in auth tests
        const res = await server.as(user, request(c));
        const actor = {
          kind: 'user' as const,
          userId: user.userId,
          role,
          organisationId: user.organisationId,
          label: '',
        };
        const allowed = !c.action || can(actor, c.action);
        if (allowed) {
          expect([401, 403], `${role} ${name} → ${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(
            res.statusCode,
          );
        } else {
          expect(res.statusCode, `${role} ${name}`).toBe(403);
          expect(res.json().code, `${role} ${name}`).toBe('forbidden');
        }
      }
    });
  }
});

describe('partner isolation', () => {
  let server: TestServer;
  let partnerA: SignedIn;
  let partnerB: SignedIn;

  beforeAll(async () => {
    server = await newTestServer();
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('a partner lists only its own organisation', async () => {
    const res = await server.as(partnerA, { method: 'GET', url: '/api/organisations' });
    expect(res.json().items.map((o: { id: string }) => o.id)).toEqual([partnerA.organisationId]);
  });

  it('another partner’s organisation does not exist for it (404, not 403)', async () => {
    const read = await server.as(partnerA, {
      method: 'GET',
      url: `/api/organisations/${partnerB.organisationId}`,
    });
    expect(read.statusCode).toBe(404);
    expect(read.json().code).toBe('not_found');
    const own = await server.as(partnerA, {
      method: 'GET',
      url: `/api/organisations/${partnerA.organisationId}`,
    });
    expect(own.statusCode).toBe(200);
  });

  it('a write it may not make answers the same for its own and another organisation (no existence leak)', async () => {
    const payload = { city: 'Ailleurs' };
    const other = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/organisations/${partnerB.organisationId}`,
      payload,
    });
    const own = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/organisations/${partnerA.organisationId}`,
      payload,
    });
    expect([other.statusCode, own.statusCode]).toEqual([403, 403]);
    const b = await server.services.organisations.get(
      { kind: 'system', label: 't' },
      partnerB.organisationId!,
    );
    expect(b.city).toBe('Lyon');
  });
});
