import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertification, buildConvention } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { MAX_EVIDENCE_BYTES } from '../../../core/evidence/media-types.js';

interface Part {
  name: string;
  fileName?: string;
  type?: string;
  content: Buffer | string;
}

/** A multipart/form-data body, built by hand so the test controls every byte and header. */
function multipart(parts: Part[]) {
  const boundary = `habilis-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.fileName === undefined ? '' : `; filename="${p.fileName}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const pdf = (text: string) =>
  Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0])]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('evidence routes', () => {
  let server: TestServer;
  let filesDir: string;
  let admin: SignedIn;
  let readOnly: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let orgA: string;
  let orgB: string;

  const upload = (user: SignedIn, query: string, parts: Part[]) => {
    const body = multipart(parts);
    return server.as(user, {
      method: 'POST',
      url: `/api/evidence${query}`,
      payload: body.payload,
      headers: body.headers,
    });
  };
  const file = (content: Buffer, fileName = 'preuve.pdf', type = 'application/pdf'): Part[] => [
    { name: 'file', fileName, type, content },
  ];
  /** Every stored file and temporary file under filesDir. */
  const filesOnDisk = async () =>
    (await readdir(filesDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  const totals = async () => ({
    rows: (await server.as(admin, { method: 'GET', url: '/api/evidence?limit=1' })).json().total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
    files: await filesOnDisk(),
  });

  beforeAll(async () => {
    server = await newTestServer();
    filesDir = server.services.ctx.config.filesDir;
    admin = await server.signIn('admin');
    readOnly = await server.signIn('read_only');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    orgA = partnerA.organisationId!;
    orgB = partnerB.organisationId!;
  });
  afterAll(() => server.close());

  it('stores an upload by its SHA-256, records it with its link, and writes the audit log', async () => {
    const content = pdf('audit report');
    const res = await upload(
      admin,
      `?organisationId=${orgA}&entityType=organisation&entityId=${orgA}&purpose=audit_report&description=Rapport`,
      file(content, 'Rapport d’audit signé.pdf'),
    );
    expect(res.statusCode).toBe(201);
    const evidence = res.json();
    const digest = sha256(content);
    expect(evidence).toMatchObject({
      sha256: digest,
      fileName: 'Rapport d’audit signé.pdf',
      mediaType: 'application/pdf',
      sizeBytes: content.length,
      description: 'Rapport',
      organisationId: orgA,
      uploadedBy: admin.userId,
      links: [{ entityType: 'organisation', entityId: orgA, purpose: 'audit_report' }],
    });
    expect(await readFile(path.join(filesDir, digest.slice(0, 2), digest))).toEqual(content);
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=evidence&entityId=${evidence.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'evidence.upload', actorId: admin.userId });
  });

  it('serves the file back with its type, name and digest', async () => {
    const content = pdf('convention');
    const evidence = (await upload(partnerA, '', file(content, 'Convention signée.pdf'))).json();
    const res = await server.as(partnerA, { method: 'GET', url: `/api/evidence/${evidence.id}/content` });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(content);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Convention sign_e.pdf"; filename*=UTF-8''Convention%20sign%C3%A9e.pdf`,
    );
    expect(res.headers['repr-digest']).toBe(
      `sha-256=:${createHash('sha256').update(content).digest('base64')}:`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('stores the same content once, whoever uploads it', async () => {
    const content = pdf('same bytes');
    const first = (await upload(partnerA, '', file(content, 'a.pdf'))).json();
    const second = (await upload(partnerB, '', file(content, 'b.pdf'))).json();
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect((await filesOnDisk()).filter((name) => name === first.sha256)).toHaveLength(1);
  });

  it('decides the type from the content: refuses a disguised file, a mislabelled one and an empty one, writing nothing', async () => {
    const before = await totals();
    const disguised = await upload(admin, '', file(exe, 'rapport.pdf', 'application/pdf'));
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json()).toMatchObject({ code: 'unsupported_media_type', errors: [{ field: 'file' }] });
    expect(disguised.json().detail).toContain('not an accepted kind');

    const mislabelled = await upload(admin, '', file(png, 'scan.pdf', 'application/pdf'));
    expect(mislabelled.statusCode).toBe(415);
    expect(mislabelled.json().detail).toBe(
      'scan.pdf is declared as application/pdf but its content is a PNG image',
    );

    const empty = await upload(admin, '', file(Buffer.alloc(0)));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual([{ field: 'file', message: 'the file is empty' }]);

    expect(await totals()).toEqual(before);
  });

  it('accepts images, office documents and CSV recognised from their content', async () => {
    const image = await upload(partnerA, '', file(png, 'photo-salle.png', 'image/png'));
    expect(image.json().mediaType).toBe('image/png');
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml')]);
    const sheet = await upload(partnerA, '', file(xlsx, 'emargement.xlsx', 'application/octet-stream'));
    expect(sheet.json().mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const csv = await upload(
      partnerA,
      '',
      file(Buffer.from('nom;date\nDurand;2025-01-02\n'), 'liste.csv', 'application/vnd.ms-excel'),
    );
    expect(csv.json().mediaType).toBe('text/csv');
  });

  it('refuses a file over 50 MiB with 413 and keeps nothing', async () => {
    const before = await totals();
    const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x20);
    big.write('%PDF-1.7\n');
    const res = await upload(admin, '', file(big, 'gros.pdf'));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', errors: [{ field: 'file' }] });
    // The rest of the body was not read: the client is told not to reuse the connection.
    expect(res.headers.connection).toBe('close');
    expect(await totals()).toEqual(before);
  });

  it('refuses uploads that are not multipart, or have no file part', async () => {
    const json = await server.as(admin, { method: 'POST', url: '/api/evidence', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('unsupported_media_type');
    const noFile = await upload(admin, '', [{ name: 'description', content: 'rien' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().errors).toEqual([{ field: 'file', message: 'send the file in a part named file' }]);
    const badQuery = await upload(admin, '?entityType=habilitation', file(pdf('x')));
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().errors[0].field).toBe('entityId');
  });

  it('confines a partner to its own organisation’s files', async () => {
    const mine = (await upload(partnerA, '', file(pdf('mine'), 'mine.pdf'))).json();
    expect(mine.organisationId).toBe(orgA);
    const theirs = (await upload(partnerB, '', file(pdf('theirs'), 'theirs.pdf'))).json();
    const certifiers = (await upload(admin, '', file(pdf('internal'), 'interne.pdf'))).json();
    expect(certifiers.organisationId).toBeNull();

    const list = (await server.as(partnerA, { method: 'GET', url: '/api/evidence?limit=200' })).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((e: { organisationId: string }) => e.organisationId === orgA)).toBe(true);
    for (const hidden of [theirs, certifiers]) {
      for (const url of [`/api/evidence/${hidden.id}`, `/api/evidence/${hidden.id}/content`]) {
        const res = await server.as(partnerA, { method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().code).toBe('not_found');
      }
    }

    const before = await totals();
    const forOther = await upload(partnerA, `?organisationId=${orgB}`, file(pdf('sneaky')));
    expect(forOther.statusCode).toBe(404);
    const convB = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/conventions',
        payload: buildConvention(orgB, [
          (
            await server.as(admin, {
              method: 'POST',
              url: '/api/certifications',
              payload: buildCertification(),
            })
          ).json().id,
        ]),
      })
    ).json();
    const afterSetup = await totals();
    expect(afterSetup.rows).toBe(before.rows);
    const onOther = await upload(
      partnerA,
      `?entityType=convention&entityId=${convB.id}`,
      file(pdf('sneaky')),
    );
    expect(onOther.statusCode).toBe(404);
    const linkOther = await server.as(partnerA, {
      method: 'POST',
      url: `/api/evidence/${mine.id}/links`,
      payload: { entityType: 'convention', entityId: convB.id },
    });
    expect(linkOther.statusCode).toBe(404);
    expect(await totals()).toEqual(afterSetup);

    const refused = await upload(readOnly, '', file(pdf('read only')));
    expect(refused.statusCode).toBe(403);
  });

  it('links a file to what it proves, once, and not across organisations', async () => {
    const cert = (
      await server.as(admin, { method: 'POST', url: '/api/certifications', payload: buildCertification() })
    ).json();
    const evidence = (await upload(partnerA, '', file(pdf('programme'), 'programme.pdf'))).json();
    const link = () =>
      server.as(partnerA, {
        method: 'POST',
        url: `/api/evidence/${evidence.id}/links`,
        payload: { entityType: 'certification', entityId: cert.id, purpose: 'programme' },
      });
    const first = await link();
    expect(first.statusCode).toBe(201);
    expect(first.json().links).toEqual([
      expect.objectContaining({ entityType: 'certification', entityId: cert.id, purpose: 'programme' }),
    ]);
    expect((await link()).json().links).toHaveLength(1);
    const byEntity = await server.as(partnerA, {
      method: 'GET',
      url: `/api/evidence?entityType=certification&entityId=${cert.id}`,
    });
    expect(byEntity.json().items.map((e: { id: string }) => e.id)).toEqual([evidence.id]);

    const unknown = await server.as(admin, {
      method: 'POST',
      url: `/api/evidence/${evidence.id}/links`,
      payload: { entityType: 'habilitation', entityId: randomUUID() },
    });
    expect(unknown.statusCode).toBe(404);
    const acrossOrganisations = await server.as(admin, {
      method: 'POST',
      url: `/api/evidence/${evidence.id}/links`,
      payload: { entityType: 'organisation', entityId: orgB },
    });
    expect(acrossOrganisations.statusCode).toBe(409);
    expect(acrossOrganisations.json().errors[0].field).toBe('entityId');
  });

  it('attaches the signed document to a convention, from the same organisation only', async () => {
    const cert = (
      await server.as(admin, { method: 'POST', url: '/api/certifications', payload: buildCertification() })
    ).json();
    const conv = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/conventions',
        payload: buildConvention(orgA, [cert.id]),
      })
    ).json();
    const otherDoc = (await upload(partnerB, '', file(pdf('B'), 'b.pdf'))).json();
    const wrong = await server.as(admin, {
      method: 'POST',
      url: `/api/conventions/${conv.id}/signature`,
      payload: { signedOn: '2025-01-10', documentId: otherDoc.id },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([
      { field: 'documentId', message: 'the file belongs to another organisation' },
    ]);

    const doc = (await upload(partnerA, '', file(pdf('signed'), 'convention.pdf'))).json();
    const signed = await server.as(admin, {
      method: 'POST',
      url: `/api/conventions/${conv.id}/signature`,
      payload: { signedOn: '2025-01-10', documentId: doc.id },
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().documentId).toBe(doc.id);
    const links = (await server.as(partnerA, { method: 'GET', url: `/api/evidence/${doc.id}` })).json().links;
    expect(links).toEqual([
      expect.objectContaining({ entityType: 'convention', entityId: conv.id, purpose: 'signed_convention' }),
    ]);
  });

  it('refuses to serve a stored file that no longer matches its SHA-256', async () => {
    const content = pdf('to be altered');
    const evidence = (await upload(admin, '', file(content, 'fragile.pdf'))).json();
    await writeFile(path.join(filesDir, evidence.sha256.slice(0, 2), evidence.sha256), pdf('altered!!!!!!'));
    const res = await server.as(admin, { method: 'GET', url: `/api/evidence/${evidence.id}/content` });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal', details: { sha256: evidence.sha256 } });
    expect(res.json().detail).toContain('altered');
  });
});
