import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../../../test/factories.js';
import { newTestServer, system, type TestServer } from '../../../../test/server.js';
import { MAX_FAILED_LOGINS } from '../../../services/auth/auth.service.js';

const cookieOf = (res: { cookies: { name: string; value: string }[] }) =>
  res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

describe('auth routes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await newTestServer();
  });
  afterAll(() => server.close());

  describe('first start', () => {
    it('reports needsSetup, then creates the first admin from the one-time link, once', async () => {
      expect((await server.as(undefined, { method: 'GET', url: '/api/health' })).json()).toMatchObject({
        status: 'ok',
        needsSetup: true,
        database: { migration: expect.any(String) },
      });
      const link = await server.services.auth.firstAdminSetupLink();
      const token = new URL(link!).searchParams.get('token')!;
      const setup = {
        token,
        email: 'admin@certif.example',
        displayName: 'Claire Admin',
        password: TEST_PASSWORD,
      };
      const res = await server.as(undefined, { method: 'POST', url: '/api/auth/setup', payload: setup });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ user: { email: 'admin@certif.example', role: 'admin' } });
      const cookie = res.cookies.find((c) => c.name === 'habilis_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

      const again = await server.as(undefined, { method: 'POST', url: '/api/auth/setup', payload: setup });
      expect(again.statusCode).toBe(410);
      expect(again.json().code).toBe('setup_token_invalid');
      expect(await server.services.auth.firstAdminSetupLink()).toBeNull();
    });
  });

  describe('sign-in', () => {
    it('signs in, exposes the session and CSRF token, and signs out', async () => {
      const seed = buildUser('quality_manager');
      await server.services.users.create(system, seed);
      const res = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: seed.email.toUpperCase(), password: seed.password },
      });
      expect(res.statusCode).toBe(200);
      const { csrfToken, permissions, user } = res.json();
      expect(user.role).toBe('quality_manager');
      expect(permissions).toContain('organisation.create');
      expect(permissions).not.toContain('user.manage');
      const cookie = cookieOf(res);

      const session = await server.as(undefined, {
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie },
      });
      expect(session.json().csrfToken).toBe(csrfToken);

      const out = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.statusCode).toBe(204);
      const after = await server.as(undefined, {
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie },
      });
      expect(after.statusCode).toBe(401);
      expect(after.json().code).toBe('unauthenticated');
    });

    it('answers the same for an unknown e-mail and a wrong password', async () => {
      const seed = buildUser('auditor');
      await server.services.users.create(system, seed);
      const unknown = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.org', password: 'whatever-it-is' },
      });
      const wrong = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: seed.email, password: 'wrong-password-1' },
      });
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json().detail).toBe(wrong.json().detail);
    });

    it(`locks an account after ${MAX_FAILED_LOGINS} wrong passwords, even for the right one`, async () => {
      const seed = buildUser('auditor');
      const { user } = await server.services.users.create(system, seed);
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
        await server.as(undefined, {
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: seed.email, password: 'nope-nope-nope' },
        });
      }
      const locked = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: seed.email, password: seed.password },
      });
      expect(locked.statusCode).toBe(423);
      expect(locked.json().code).toBe('account_locked');
      // An admin re-activating the account unlocks it.
      await server.services.users.update(system, user.id, { isActive: true });
      const ok = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: seed.email, password: seed.password },
      });
      expect(ok.statusCode).toBe(200);
    });

    it('ends the sessions of a deactivated account', async () => {
      const auditor = await server.signIn('auditor');
      await server.services.users.update(system, auditor.userId, { isActive: false });
      const res = await server.as(auditor, { method: 'GET', url: '/api/organisations' });
      expect(res.statusCode).toBe(401);
    });

    it('ends a session after its idle time', async () => {
      const auditor = await server.signIn('auditor');
      await sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${auditor.userId}`.execute(
        server.handle.db,
      );
      expect((await server.as(auditor, { method: 'GET', url: '/api/organisations' })).statusCode).toBe(401);
    });
  });

  describe('CSRF', () => {
    it('refuses a change without the session’s CSRF token, and writes nothing', async () => {
      const admin = await server.signIn('admin');
      for (const token of [undefined, 'forged-token']) {
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/organisations',
          headers: { cookie: admin.cookie, ...(token ? { 'x-csrf-token': token } : {}) },
          payload: { siret: '73282932000074', legalName: 'Formasud' },
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
      }
      const list = await server.as(admin, { method: 'GET', url: '/api/organisations?q=Formasud' });
      expect(list.json().total).toBe(0);
    });
  });

  describe('passwords', () => {
    it('are stored as argon2id hashes', async () => {
      const seed = buildUser('auditor');
      const { user } = await server.services.users.create(system, seed);
      const row = await server.handle.db
        .selectFrom('users')
        .select('passwordHash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('refuse weak passwords, naming the field', async () => {
      const admin = await server.signIn('admin');
      const res = await server.as(admin, {
        method: 'POST',
        url: '/api/users',
        payload: { email: 'weak@example.org', displayName: 'Weak', role: 'auditor', password: 'short' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { field: 'password', message: 'at least 12 characters' },
        {
          field: 'password',
          message: 'use at least three of: lower case, upper case, digits, other characters',
        },
      ]);
    });

    it('change with the current password and end the other sessions', async () => {
      const seed = buildUser('auditor');
      await server.services.users.create(system, seed);
      const login = () =>
        server.as(undefined, {
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: seed.email, password: seed.password },
        });
      const first = await login();
      const second = await login();
      const res = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie: cookieOf(second), 'x-csrf-token': second.json().csrfToken },
        payload: { currentPassword: seed.password, newPassword: 'Another-Good-Pass-99' },
      });
      expect(res.statusCode).toBe(204);
      expect(
        (
          await server.as(undefined, {
            method: 'GET',
            url: '/api/auth/session',
            headers: { cookie: cookieOf(first) },
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await server.as(undefined, {
            method: 'GET',
            url: '/api/auth/session',
            headers: { cookie: cookieOf(second) },
          })
        ).statusCode,
      ).toBe(200);
    });
  });

  describe('invitations', () => {
    it('a user created without a password sets it from the one-time link', async () => {
      const admin = await server.signIn('admin');
      const res = await server.as(admin, {
        method: 'POST',
        url: '/api/users',
        payload: { email: 'invited@example.org', displayName: 'Invitée', role: 'auditor' },
      });
      expect(res.statusCode).toBe(201);
      const { setupLink } = res.json();
      expect(setupLink).toMatch(/^http:\/\/habilis\.test\/setup\?token=/);
      const token = new URL(setupLink).searchParams.get('token')!;
      const wrongEmail = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/setup',
        payload: { token, email: 'other@example.org', displayName: 'X', password: TEST_PASSWORD },
      });
      expect(wrongEmail.statusCode).toBe(409);
      const ok = await server.as(undefined, {
        method: 'POST',
        url: '/api/auth/setup',
        payload: { token, email: 'invited@example.org', displayName: 'Invitée', password: TEST_PASSWORD },
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().user).toMatchObject({ email: 'invited@example.org', role: 'auditor' });
    });
  });
});

describe('rate limits', () => {
  it('limit sign-in attempts per minute with a problem+json 429', async () => {
    const server = await newTestServer({ loginPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await server.as(undefined, {
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'a@b.fr', password: 'x-x-x-x' },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json()).toMatchObject({ code: 'rate_limited', status: 429 });
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await server.close();
    }
  });
});
