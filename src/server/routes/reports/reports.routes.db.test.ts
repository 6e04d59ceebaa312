import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrganisation,
  insertActiveHabilitation,
  insertChainCertification,
} from '../../../../test/factories.js';
import { readPdf } from '../../../../test/pdf.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

/** A multipart/form-data body with one part named `file`. */
function logoUpload(content: Buffer, fileName = 'logo.png', type = 'image/png') {
  const boundary = '----habilis-logo-test';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\ncontent-type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('reports routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let auditor: SignedIn;
  let partner: SignedIn;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
    const cert = await insertChainCertification(server.handle.db, 'RNCP41001');
    const org = await server.services.organisations.create(
      system,
      buildOrganisation({ legalName: 'Formation Alpha' }),
    );
    await insertActiveHabilitation(server.handle.db, org.id, cert.id);
  });
  afterAll(() => server.close());

  it('downloads the dossier ZIP as an attachment', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/dossier?certification=RNCP41001',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('dossier-RNCP41001-');
    expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('downloads the PDF report alone, with the partner in it', async () => {
    const res = await server.as(auditor, {
      method: 'GET',
      url: '/api/reports/dossier?certification=RNCP41001&format=pdf',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.text).toContain('Formation Alpha');
    expect(pdf.text).toContain('Dossier de preuves');
  });

  it('an unknown certification is 404, an empty period says there is nothing to prove', async () => {
    const unknown = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/dossier?certification=RNCP99998',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('Certification RNCP99998 not found');
    const empty = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/dossier?certification=RNCP41001&from=2001-01-01&to=2001-12-31',
    });
    expect(empty.statusCode).toBe(404);
    expect(empty.json().detail).toContain('nothing to prove');
    const bad = await server.as(admin, { method: 'GET', url: '/api/reports/dossier?certification=ABC' });
    expect(bad.statusCode).toBe(400);
  });

  it('exports a list with its filters, and a partner only its own rows', async () => {
    const other = await server.services.organisations.create(
      system,
      buildOrganisation({ legalName: 'Formation Bêta' }),
    );
    const finding = (organisationId: string, title: string, severity: string) => ({
      organisationId,
      title,
      severity,
    });
    await server.handle.db
      .insertInto('findings')
      .values([
        finding(partner.organisationId!, 'Constat du partenaire', 'minor'),
        finding(other.id, '=HYPERLINK("x") constat ailleurs', 'major'),
        finding(other.id, 'Constat mineur ailleurs', 'minor'),
      ])
      .execute();
    const mine = await server.as(partner, { method: 'GET', url: '/api/reports/exports/findings?format=csv' });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-disposition']).toContain('constats-');
    const lines = mine.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Constat du partenaire');
    const major = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/findings?format=csv&severity=major',
    });
    const majorLines = major.body.trim().split('\r\n');
    expect(majorLines).toHaveLength(2);
    expect(majorLines[1]).toContain(`'=HYPERLINK`);
    const xlsx = await server.as(admin, { method: 'GET', url: '/api/reports/exports/findings' });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('the network overview and a partner scorecard download as files', async () => {
    const overview = await server.as(admin, { method: 'GET', url: '/api/reports/network?format=xlsx' });
    expect(overview.statusCode).toBe(200);
    expect(overview.headers['content-type']).toContain('spreadsheetml');
    const card = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/partners/${partner.organisationId}/scorecard`,
    });
    expect(card.statusCode).toBe(200);
    expect((await readPdf(card.rawPayload)).text).toContain('Fiche partenaire');
    const scoped = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/partners/${partner.organisationId}/scorecard`,
    });
    expect(scoped.statusCode).toBe(403);
  });

  it('partners may not build dossiers', async () => {
    const res = await server.as(partner, {
      method: 'GET',
      url: '/api/reports/dossier?certification=RNCP41001',
    });
    expect(res.statusCode).toBe(403);
  });

  it('sets, shows and removes the report logo (admin only, sniffed, size-checked, audited)', async () => {
    const none = await server.as(auditor, { method: 'GET', url: '/api/reports/logo' });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ logo: null, maxBytes: 2 * 1024 * 1024 });
    expect((await server.as(auditor, { method: 'GET', url: '/api/reports/logo/image' })).statusCode).toBe(
      404,
    );

    const canvas = createCanvas(200, 80);
    canvas.getContext('2d').fillRect(0, 0, 200, 80);
    const png = canvas.toBuffer('image/png');
    // Only an administrator changes it.
    const refused = await server.as(auditor, { method: 'PUT', url: '/api/reports/logo', ...logoUpload(png) });
    expect(refused.statusCode).toBe(403);

    const set = await server.as(admin, { method: 'PUT', url: '/api/reports/logo', ...logoUpload(png) });
    expect(set.statusCode).toBe(200);
    expect(set.json().logo).toMatchObject({ mediaType: 'image/png', sizeBytes: png.length });
    const image = await server.as(auditor, { method: 'GET', url: '/api/reports/logo/image' });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(png)).toBe(true);

    // The type comes from the bytes: a text file named .png is refused, and so is an empty one.
    const text = await server.as(admin, {
      method: 'PUT',
      url: '/api/reports/logo',
      ...logoUpload(Buffer.from('this is not an image'), 'logo.png'),
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().detail).toContain('PNG or JPEG');
    const empty = await server.as(admin, {
      method: 'PUT',
      url: '/api/reports/logo',
      ...logoUpload(Buffer.alloc(0)),
    });
    expect(empty.statusCode).toBe(415);
    expect(empty.json().detail).toContain('empty');
    const huge = Buffer.concat([png.subarray(0, 8), Buffer.alloc(2 * 1024 * 1024 + 10)]);
    const tooLarge = await server.as(admin, { method: 'PUT', url: '/api/reports/logo', ...logoUpload(huge) });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().code).toBe('payload_too_large');
    expect(text.json().code).toBe('unsupported_media_type');
    // Not multipart at all, or the image in a part of another name: said clearly.
    const json = await server.as(admin, { method: 'PUT', url: '/api/reports/logo', payload: { logo: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect(json.json().detail).toContain('part named file');
    const misnamed = logoUpload(png);
    const wrongPart = await server.as(admin, {
      method: 'PUT',
      url: '/api/reports/logo',
      headers: misnamed.headers,
      payload: Buffer.from(
        misnamed.payload.toString('latin1').replace('name="file"', 'name="image"'),
        'latin1',
      ),
    });
    expect(wrongPart.statusCode).toBe(400);
    expect(wrongPart.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'file' }] });
    // A refused upload leaves the logo as it was.
    expect((await server.as(admin, { method: 'GET', url: '/api/reports/logo' })).json().logo.sha256).toBe(
      set.json().logo.sha256,
    );

    const removed = await server.as(admin, { method: 'DELETE', url: '/api/reports/logo' });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().logo).toBeNull();
    const audit = await server.handle.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('action', '=', 'report.logo')
      .orderBy('seq')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[1]?.after).toEqual({ logoSha256: null, logoMediaType: null });
  });
});
