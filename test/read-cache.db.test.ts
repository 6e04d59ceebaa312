import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services/index.js';
import { buildOrganisation } from './factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from './server.js';

// The read caches (sessions, answers of cacheable routes) must never answer with data older than the
// last change: made through the API, written directly in SQL, or committed by another process.
describe('read caches', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  const list = (user: SignedIn, url = '/api/organisations?limit=100&sort=legalName') =>
    server.as(user, { method: 'GET', url });
  const names = async (user: SignedIn) =>
    ((await list(user)).json() as { items: { legalName: string }[] }).items.map((o) => o.legalName);

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('answers a repeated list from the cache, per user', async () => {
    const first = await list(admin);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-habilis-cache']).toBeUndefined();
    const second = await list(admin);
    expect(second.headers['x-habilis-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toContain('application/json');
    // The partner asks for the same URL and gets its own answer, never the admin's.
    const own = (await list(partner)).json() as { items: { id: string }[]; total: number };
    expect(own.total).toBe(1);
    expect(own.items.map((o) => o.id)).toEqual([partner.organisationId]);
  });

  it('forgets it when the API changes the data', async () => {
    await list(admin);
    const created = await server.as(admin, {
      method: 'POST',
      url: '/api/organisations',
      payload: buildOrganisation({ legalName: 'Atelier Créé Par API' }),
    });
    expect(created.statusCode).toBe(201);
    const after = await list(admin);
    expect(after.headers['x-habilis-cache']).toBeUndefined();
    expect(await names(admin)).toContain('Atelier Créé Par API');
  });

  it('forgets it when a statement writes directly, outside any service', async () => {
    await list(admin);
    await list(admin);
    const org = await server.services.organisations.create(system, buildOrganisation());
    await server.handle.db
      .updateTable('organisations')
      .set({ legalName: 'Renommé En SQL' })
      .where('id', '=', org.id)
      .execute();
    expect(await names(admin)).toContain('Renommé En SQL');
    await list(admin);
    await sql`update organisations set legal_name = 'Renommé En SQL brut' where id = ${org.id}`.execute(
      server.handle.db,
    );
    expect(await names(admin)).toContain('Renommé En SQL brut');
  });

  it('refuses a signed-out session at once, and a disabled user’s', async () => {
    const user = await server.signIn('auditor');
    expect((await list(user)).statusCode).toBe(200);
    expect((await list(user)).statusCode).toBe(200); // now cached
    const out = await server.as(user, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect((await list(user)).statusCode).toBe(401);

    const other = await server.signIn('auditor');
    expect((await list(other)).statusCode).toBe(200);
    await server.handle.db
      .updateTable('users')
      .set({ isActive: false })
      .where('id', '=', other.userId)
      .execute();
    expect((await list(other)).statusCode).toBe(401);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'hears changes committed by another process on the same PostgreSQL',
    async () => {
      await list(admin);
      expect((await list(admin)).headers['x-habilis-cache']).toBe('hit');
      // Another server on the same database: its own pool and services; its change writes the audit log,
      // whose trigger announces it at commit.
      const schema = (
        await server.handle.db
          .selectNoFrom((eb) => eb.fn<string>('current_schema').as('s'))
          .executeTakeFirstOrThrow()
      ).s;
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const otherHandle = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        const other = createServices(otherHandle, {
          publicUrl: 'http://habilis.test',
          filesDir: '/nonexistent',
          dataDir: '/nonexistent',
        });
        await other.organisations.update(system, partner.organisationId as string, {
          legalName: 'Changé Ailleurs',
        });
      } finally {
        await otherHandle.close();
      }
      let seen: string[] = [];
      for (let attempt = 0; attempt < 50 && !seen.includes('Changé Ailleurs'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await names(admin);
      }
      expect(seen).toContain('Changé Ailleurs');

      // A session ended by another process is refused too.
      const user = await server.signIn('auditor');
      expect((await list(user)).statusCode).toBe(200);
      expect((await list(user)).statusCode).toBe(200);
      const remote = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await remote.connect();
      try {
        await remote.query(`delete from ${schema}.sessions where user_id = $1`, [user.userId]);
      } finally {
        await remote.end();
      }
      let status = 200;
      for (let attempt = 0; attempt < 50 && status === 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await list(user)).statusCode;
      }
      expect(status).toBe(401);
    },
  );
});
