import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation } from '../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../test/server.js';

/** Issue #2 item 9: malformed input gets a problem+json naming the field, and nothing is written. */
describe('bad input', () => {
  let server: TestServer;
  let admin: SignedIn;

  const count = async () =>
    (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=1&includeArchived=true' })).json()
      .total;
  /** Posts an organisation, and checks within the same test that the refusal wrote nothing. */
  const post = async (payload: string, headers: Record<string, string> = {}) => {
    const before = await count();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload,
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrfToken,
        'content-type': 'application/json',
        ...headers,
      },
    });
    expect(await count(), 'organisations written').toBe(before);
    return res;
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
  });
  afterAll(() => server.close());

  it('malformed JSON', async () => {
    const res = await post('{"siret": "7328293200007');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: '(body)', message: 'not valid JSON' }],
    });
  });

  it('wrong types, naming each field', async () => {
    const res = await post(
      JSON.stringify({ siret: 73282932000074, legalName: ['x'], qualiopiStatus: 'maybe' }),
    );
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['siret', 'legalName', 'qualiopiStatus']));
  });

  it('unknown fields', async () => {
    const res = await post(JSON.stringify({ ...buildOrganisation(), isAdmin: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'isAdmin', message: 'unknown field' }]);
  });

  it('oversized bodies', async () => {
    const res = await post(JSON.stringify({ ...buildOrganisation(), notes: 'x'.repeat(2_000_000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('a body that is not JSON', async () => {
    const res = await post('siret=1', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('invalid SIRET, postal code and e-mail', async () => {
    const res = await post(
      JSON.stringify(
        buildOrganisation({ siret: '12345678901234', postalCode: '750', email: 'not-an-email' }),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'siret', message: 'invalid SIRET (Luhn checksum)' },
        { field: 'postalCode', message: 'a French postal code has 5 digits' },
        expect.objectContaining({ field: 'email' }),
      ]),
    );
  });

  it('a query parameter out of range, and a malformed id', async () => {
    const q = await server.as(admin, { method: 'GET', url: '/api/organisations?limit=100000' });
    expect(q.statusCode).toBe(400);
    expect(q.json().errors[0].field).toBe('limit');
    const id = await server.as(admin, { method: 'GET', url: '/api/organisations/not-a-uuid' });
    expect(id.statusCode).toBe(400);
    expect(id.json().errors[0].field).toBe('id');
  });

  it('an unknown route is a problem+json 404', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});

/** Issue #5 item 6: a chain upload that is not a file upload at all is refused as a whole, naming why. */
describe('bad input: chain uploads', () => {
  let server: TestServer;
  let admin: SignedIn;
  let organisationId: string;

  const candidates = async () =>
    Number(
      (
        await server.handle.db
          .selectFrom('candidates')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const sessions = async () =>
    (await server.as(admin, { method: 'GET', url: '/api/training-sessions' })).json().total as number;
  /** Uploads, and checks within the same test that the refused upload wrote nothing. */
  const upload = async (payload: string | Buffer, contentType: string) => {
    const before = { candidates: await candidates(), sessions: await sessions() };
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/chain-uploads/training-sessions?organisationId=${organisationId}`,
      payload,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': contentType },
    });
    expect({ candidates: await candidates(), sessions: await sessions() }, 'rows written').toEqual(before);
    return res;
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    organisationId = (
      await server.as(admin, { method: 'POST', url: '/api/organisations', payload: buildOrganisation() })
    ).json().id;
  });
  afterAll(() => server.close());

  it('JSON instead of a file: 415 unsupported_media_type', async () => {
    const res = await upload('{"rows":[]}', 'application/json');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      code: 'unsupported_media_type',
      detail: expect.stringMatching(/multipart/),
    });
  });

  it('a multipart body without a part named file: 400 naming the field', async () => {
    const boundary = 'habilis-bad-input';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nx;y\r\n--${boundary}--\r\n`;
    const res = await upload(body, `multipart/form-data; boundary=${boundary}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'file' }] });
  });

  it('a file over 10 MiB: 413 payload_too_large', async () => {
    const boundary = 'habilis-bad-input';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gros.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.alloc(10 * 1024 * 1024 + 10, 0x41),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await upload(body, `multipart/form-data; boundary=${boundary}`);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });
});
