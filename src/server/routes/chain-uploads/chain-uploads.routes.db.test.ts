import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertActiveHabilitation,
  insertChainCertification,
  multipartFile,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { uploadIssueCodes } from '../../../core/chain/upload-issue-codes.js';
import { uploadKinds } from '../../../core/contracts/chain-uploads.js';
import {
  columnsOf,
  MAX_UPLOAD_ROWS,
  readUploadTable,
  trainingSessionColumns,
  type UploadKind,
} from '../../../importers/chain-upload/index.js';

/** The header line of an upload template, from its definition (columnsOf), in the template's order. */
const headerOf = (kind: UploadKind) => columnsOf[kind].map((c) => c.header).join(';');

const HEADER = headerOf('training-sessions');

/** One CSV row of the training-session template; the session columns default to session S1 of RNCP39001. */
function sessionRow(
  candidate: Partial<Record<string, string>>,
  session: Partial<Record<string, string>> = {},
) {
  const v = {
    reference_session: 'S1',
    code_certification: 'RNCP39001',
    blocs: 'RNCP39001BC01',
    date_debut: '2026-01-05',
    date_fin: '2026-03-27',
    heures: '350,5',
    modalite: 'presentiel',
    lieu: 'Lyon 3e',
    formateurs: 'Anne Petit, Paul Roux',
    financement: 'cpf',
    nom_naissance: 'Martin',
    nom_usage: '',
    prenoms: 'Camille',
    sexe: 'F',
    date_naissance: '1995-06-14',
    lieu_naissance: '69123',
    email: '',
    voie_acces: 'formation_continue',
    date_inscription: '',
    ...session,
    ...candidate,
  };
  return HEADER.split(';')
    .map((h) => v[h as keyof typeof v] ?? '')
    .join(';');
}

const csv = (...rows: string[]) => `${HEADER}\r\n${rows.join('\r\n')}\r\n`;

type CountedTable = 'trainingSessions' | 'candidates' | 'assessmentResults' | 'trainingEnrolments';

/** Rows in one of the tables an upload writes (to show a refused upload wrote nothing). */
const countIn = async (server: TestServer, table: CountedTable) =>
  Number(
    (
      await server.handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('chain upload routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let evaluator: SignedIn;
  let cert: Awaited<ReturnType<typeof insertChainCertification>>;

  const count = (table: CountedTable) => countIn(server, table);

  const upload = (
    user: SignedIn | undefined,
    path: string,
    fileName: string,
    content: Uint8Array | string,
    query = '',
  ) => {
    const body = multipartFile(fileName, content);
    return server.as(user, {
      method: 'POST',
      url: `/api/chain-uploads/${path}${query ? `?${query}` : ''}`,
      payload: body.payload,
      headers: body.headers,
    });
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    evaluator = await server.signIn('evaluator');
    cert = await insertChainCertification(server.handle.db, 'RNCP39001');
    await insertActiveHabilitation(server.handle.db, partnerA.organisationId!, cert.id);
  });
  afterAll(() => server.close());

  it('serves both templates, XLSX with the template columns and CSV UTF-8 with its BOM', async () => {
    const xlsx = await server.as(partnerA, {
      method: 'GET',
      url: '/api/chain-uploads/templates/training-sessions',
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Données', 'Aide']);
    expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(
      trainingSessionColumns.map((c) => c.header),
    );
    const csvTemplate = await server.as(evaluator, {
      method: 'GET',
      url: '/api/chain-uploads/templates/assessment-results?format=csv',
    });
    expect(csvTemplate.statusCode).toBe(200);
    expect(csvTemplate.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvTemplate.body).toContain('nom_naissance;prenoms;date_naissance;code_bloc');
    // The blank template reads back without a single issue: it is its own best test.
    const blank = await readUploadTable(xlsx.rawPayload, trainingSessionColumns);
    expect(blank.issues).toEqual([]);
  });

  it('a good CSV: the dry run writes nothing, the real run declares sessions, candidates and enrolments', async () => {
    const file = csv(
      sessionRow({ nom_naissance: 'Lefèvre', prenoms: 'Élodie', email: 'elodie@example.org' }),
      sessionRow({
        nom_naissance: 'Diallo',
        prenoms: 'Moussa',
        sexe: 'H',
        date_naissance: '02/03/1990',
        lieu_naissance: '99341',
        voie_acces: 'vae',
        date_inscription: '15/12/2025',
      }),
      sessionRow(
        { nom_naissance: 'Nguyen', prenoms: 'Linh' },
        {
          reference_session: 'S2',
          blocs: '',
          modalite: 'mixte',
          date_debut: '2026-04-06',
          date_fin: '2026-06-26',
          financement: 'employeur',
        },
      ),
    );
    const before = { sessions: await count('trainingSessions'), candidates: await count('candidates') };
    const dry = await upload(partnerA, 'training-sessions', 'sessions.csv', file, 'dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      committed: false,
      format: 'csv',
      encoding: 'utf-8',
      rowCount: 3,
      errors: [],
      summary: { sessions: 2, candidatesCreated: 3, enrolments: 3 },
      trainingSessionIds: [],
    });
    expect(await count('trainingSessions')).toBe(before.sessions);
    expect(await count('candidates')).toBe(before.candidates);

    const real = await upload(partnerA, 'training-sessions', 'sessions.csv', file);
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({
      committed: true,
      errors: [],
      summary: { sessions: 2, candidatesCreated: 3 },
    });
    const [s1] = real.json().trainingSessionIds;
    const detail = (await server.as(partnerA, { method: 'GET', url: `/api/training-sessions/${s1}` })).json();
    expect(detail).toMatchObject({
      reference: 'S1',
      hours: 350.5,
      modality: 'in_person',
      funding: 'cpf',
      trainers: ['Anne Petit', 'Paul Roux'],
      skillBlocks: [{ code: 'RNCP39001BC01' }],
      organisationId: partnerA.organisationId,
    });
    expect(
      detail.enrolments
        .map((e: { birthName: string; enrolledOn: string | null }) => [e.birthName, e.enrolledOn])
        .sort(),
    ).toEqual([
      ['Diallo', '2025-12-15'],
      ['Lefèvre', null],
    ]);
    const diallo = (await server.as(partnerA, { method: 'GET', url: '/api/candidates?q=Diallo' })).json()
      .items[0];
    expect(diallo).toMatchObject({
      sex: 'M',
      birthDate: '1990-03-02',
      birthCountryCode: '99341',
      birthPlaceCode: null,
      accessRoute: 'vae',
    });

    // The same person in a new session (names compared without case): enrolled again, not duplicated.
    const again = await upload(
      partnerA,
      'training-sessions',
      'sessions-2.csv',
      csv(sessionRow({ nom_naissance: 'LEFÈVRE', prenoms: 'Élodie' }, { reference_session: 'S3' })),
    );
    expect(again.json().summary).toMatchObject({ candidatesCreated: 0, candidatesReused: 1, enrolments: 1 });
  });

  it('a good XLSX with date cells and an INSEE code stored as a number', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Données');
    const headers = HEADER.split(';');
    sheet.addRow(headers);
    const row: Record<string, unknown> = {
      reference_session: 'X1',
      code_certification: 'rncp39001',
      date_debut: new Date(Date.UTC(2026, 0, 5)),
      date_fin: new Date(Date.UTC(2026, 2, 27)),
      heures: 120,
      modalite: 'distanciel',
      nom_naissance: 'Bernard',
      prenoms: 'Louis',
      sexe: 'M',
      date_naissance: new Date(Date.UTC(1988, 10, 30)),
      lieu_naissance: 1053,
      voie_acces: 'apprentissage',
    };
    sheet.addRow(headers.map((h) => row[h] ?? null));
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(partnerA, 'training-sessions', 'sessions.xlsx', bytes);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'xlsx', encoding: null, committed: true, errors: [] });
    const louis = (await server.as(partnerA, { method: 'GET', url: '/api/candidates?q=Bernard' })).json()
      .items[0];
    expect(louis).toMatchObject({
      birthDate: '1988-11-30',
      birthPlaceCode: '01053',
      accessRoute: 'apprenticeship',
    });
  });

  it('dry run: every row’s errors with line and column, from the file and from the API’s rules', async () => {
    const file = csv(
      sessionRow({ nom_naissance: 'Petit', prenoms: 'Jules' }, { reference_session: 'OK1' }),
      sessionRow(
        { nom_naissance: 'Roux', date_naissance: '31/02/1990', sexe: 'X' },
        { reference_session: 'OK1' },
      ),
      sessionRow(
        { nom_naissance: 'Blanc', lieu_naissance: '75' },
        { reference_session: 'OK1', modalite: 'en ligne' },
      ),
      sessionRow(
        { nom_naissance: 'Noir' },
        { reference_session: 'OLD', date_debut: '2024-01-08', date_fin: '2024-03-29' },
      ),
      sessionRow({ nom_naissance: 'Vert' }, { reference_session: 'NOCERT', code_certification: 'RNCP99999' }),
      sessionRow({ nom_naissance: 'Gris' }, { reference_session: 'BLOCK', blocs: 'RNCP39001BC09' }),
    );
    const before = { sessions: await count('trainingSessions'), candidates: await count('candidates') };
    const dry = await upload(partnerA, 'training-sessions', 'bad.csv', file, 'dryRun=true');
    expect(dry.statusCode).toBe(200);
    const errors = dry.json().errors as { line: number; column: string; message: string }[];
    const at = (line: number, column: string) => errors.filter((e) => e.line === line && e.column === column);
    expect(at(3, 'date_naissance')[0]?.message).toMatch(/not a calendar date/);
    expect(at(3, 'sexe')[0]?.message).toMatch(/not one of/);
    expect(at(4, 'modalite')[0]?.message).toMatch(/« en ligne »/);
    expect(at(4, 'lieu_naissance')[0]?.message).toMatch(/INSEE/);
    expect(at(5, 'date_debut')[0]?.message).toMatch(/does not cover 2024-01-08/);
    expect(at(6, 'code_certification')[0]?.message).toBe('no certification RNCP99999');
    expect(at(7, 'blocs')[0]?.message).toBe('RNCP39001BC09 is not a skill block of RNCP39001');
    // Line 4 differs from line 2 on a session column of the same session: named too.
    expect(at(4, 'modalite').map((e) => e.message)).toContain(
      'differs from line 2 of the same session (« presentiel »)',
    );
    expect(errors.every((e) => e.line !== 2)).toBe(true);

    const real = await upload(partnerA, 'training-sessions', 'bad.csv', file);
    expect(real.statusCode).toBe(422);
    expect(real.json().code).toBe('import_rejected');
    expect(real.json().details.errors).toEqual(errors);
    // Nothing half-written: not the good session OK1, nor the candidates of good rows.
    expect(await count('trainingSessions')).toBe(before.sessions);
    expect(await count('candidates')).toBe(before.candidates);
  });

  it('refuses unknown and missing columns, naming them, and writes nothing', async () => {
    const file = `${HEADER.replace('lieu_naissance', 'commune_naissance')};commentaire\r\n${sessionRow({})};x\r\n`;
    const dry = await upload(partnerA, 'training-sessions', 'cols.csv', file, 'dryRun=true');
    expect(dry.json().errors).toEqual([
      {
        line: 1,
        column: 'commune_naissance',
        message: expect.stringMatching(/^unknown column « commune_naissance »/),
        code: 'unknown_column',
        params: {
          column: 'commune_naissance',
          expected: expect.stringContaining('lieu_naissance'),
          file: 'cols.csv',
        },
      },
      {
        line: 1,
        column: 'commentaire',
        message: expect.stringMatching(/^unknown column « commentaire »/),
        code: 'unknown_column',
        params: expect.objectContaining({ column: 'commentaire' }),
      },
      {
        line: 1,
        column: 'lieu_naissance',
        message: 'required column « lieu_naissance » is missing from « cols.csv »',
        code: 'column_missing',
        params: { column: 'lieu_naissance', file: 'cols.csv' },
      },
    ]);
    const real = await upload(partnerA, 'training-sessions', 'cols.csv', file);
    expect(real.statusCode).toBe(422);
    expect(real.json().detail).toMatch(/commune_naissance/);
  });

  it('reads Windows-1252, and refuses mixed encodings and binary content naming the line', async () => {
    const legacy = iconv.encode(
      csv(sessionRow({ nom_naissance: 'Mérieux', prenoms: 'Anaïs' }, { reference_session: 'W1' })),
      'win1252',
    );
    const ok = await upload(partnerA, 'training-sessions', 'excel.csv', legacy);
    expect(ok.json()).toMatchObject({ encoding: 'windows-1252', committed: true });
    expect(
      (await server.as(partnerA, { method: 'GET', url: '/api/candidates?q=Mérieux' })).json().items[0]
        .firstNames,
    ).toBe('Anaïs');

    const mixed = Buffer.concat([
      Buffer.from(csv(sessionRow({ nom_naissance: 'Éric' }, { reference_session: 'M1' })), 'utf8'),
      iconv.encode(`${sessionRow({ nom_naissance: 'Hélène' }, { reference_session: 'M1' })}\r\n`, 'win1252'),
    ]);
    const before = await count('candidates');
    const res = await upload(partnerA, 'training-sessions', 'mixed.csv', mixed);
    expect(res.statusCode).toBe(422);
    expect(res.json().details.errors).toEqual([
      {
        line: 3,
        column: null,
        message: expect.stringMatching(
          /^« mixed\.csv »: the file mixes encodings \(UTF-8 on line 2, Windows-1252 on line 3\)/,
        ),
        code: 'encoding_mixed',
        params: { file: 'mixed.csv', line: 3, utf8Line: 2 },
      },
    ]);
    const utf16 = iconv.encode(csv(sessionRow({})), 'utf-16le');
    const binary = await upload(partnerA, 'training-sessions', 'utf16.csv', utf16, 'dryRun=true');
    expect(binary.json().errors[0]).toMatchObject({ line: 1, message: expect.stringMatching(/NUL bytes/) });
    expect(await count('candidates')).toBe(before);
  });

  it('certifier staff name the partner; a partner declares for itself only', async () => {
    const file = csv(sessionRow({ nom_naissance: 'Staff' }, { reference_session: 'ST1' }));
    const missing = await upload(admin, 'training-sessions', 's.csv', file, 'dryRun=true');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { field: 'organisationId', message: 'name the partner the sessions are for' },
    ]);
    const staff = await upload(
      admin,
      'training-sessions',
      's.csv',
      file,
      `organisationId=${partnerA.organisationId}`,
    );
    expect(staff.json()).toMatchObject({ committed: true });
    const other = await upload(
      partnerB,
      'training-sessions',
      's.csv',
      file,
      `organisationId=${partnerA.organisationId}`,
    );
    expect(other.statusCode).toBe(403);
    // Partner B has no habilitation: the API's rule, row by row.
    const own = await upload(partnerB, 'training-sessions', 's.csv', file, 'dryRun=true');
    expect(own.json().errors[0]).toMatchObject({
      line: 2,
      column: 'code_certification',
      message: expect.stringMatching(/no habilitation/),
    });
    const noFile = await server.as(partnerA, {
      method: 'POST',
      url: '/api/chain-uploads/training-sessions',
      payload: {},
    });
    expect(noFile.statusCode).toBe(415);
  });

  describe('assessment results', () => {
    let sessionId: string;
    let ids: Record<string, string>;
    const RESULTS_HEADER = headerOf('assessment-results');

    beforeAll(async () => {
      const created = await upload(
        partnerA,
        'training-sessions',
        'res.csv',
        csv(
          sessionRow(
            { nom_naissance: 'Aubert', prenoms: 'Léa Marie', date_naissance: '1991-01-01' },
            { reference_session: 'R1' },
          ),
          sessionRow(
            { nom_naissance: 'Baron', prenoms: 'Hugo', date_naissance: '1992-02-02' },
            { reference_session: 'R1' },
          ),
          sessionRow(
            { nom_naissance: 'Carré', prenoms: 'Inès', date_naissance: '1993-03-03' },
            { reference_session: 'R1' },
          ),
        ),
      );
      expect(created.json().committed).toBe(true);
      const people = (await server.as(partnerA, { method: 'GET', url: '/api/candidates?limit=200' })).json()
        .items as {
        id: string;
        birthName: string;
      }[];
      ids = Object.fromEntries(people.map((p) => [p.birthName, p.id]));
      const session = await server.as(partnerA, {
        method: 'POST',
        url: '/api/assessment-sessions',
        payload: {
          certificationId: cert.id,
          startsAt: '2026-01-10T09:00:00+01:00',
          candidateIds: [ids.Aubert, ids.Baron],
          evaluatorIds: [evaluator.userId],
        },
      });
      expect(session.statusCode).toBe(201);
      sessionId = session.json().id;
    });

    it('records the results of a good file, finding candidates by identity', async () => {
      const file = [
        RESULTS_HEADER,
        ';AUBERT;Léa;1991-01-01;RNCP39001BC01;;14,5;20;admis',
        ';Aubert;Léa Marie;01/01/1991;;Étude de cas;8;20;ajourne',
        `${ids.Baron};Baron;Hugo;1992-02-02;RNCP39001BC01;;;;absent`,
      ].join('\n');
      const dry = await upload(
        evaluator,
        'assessment-results',
        'r.csv',
        file,
        `assessmentSessionId=${sessionId}&dryRun=true`,
      );
      expect(dry.json()).toMatchObject({ errors: [], committed: false, summary: { results: 3 } });
      expect(await count('assessmentResults')).toBe(0);
      const real = await upload(
        evaluator,
        'assessment-results',
        'r.csv',
        file,
        `assessmentSessionId=${sessionId}`,
      );
      expect(real.json()).toMatchObject({ errors: [], committed: true, summary: { results: 3 } });
      const results = (
        await server.as(admin, { method: 'GET', url: `/api/assessment-sessions/${sessionId}/results` })
      ).json().items as {
        candidateId: string;
        score: number | null;
        decision: string;
        assessmentTask: string | null;
      }[];
      expect(results.map((r) => [r.candidateId, r.score, r.decision, r.assessmentTask]).sort()).toEqual(
        [
          [ids.Aubert, 14.5, 'passed', null],
          [ids.Aubert, 8, 'failed', 'Étude de cas'],
          [ids.Baron, null, 'absent', null],
        ].sort(),
      );
    });

    it('dry run names the score out of range, the candidate not registered, the unknown block; nothing half-written', async () => {
      const file = [
        RESULTS_HEADER,
        ';Baron;Hugo;1992-02-02;RNCP39001BC02;;12;20;admis',
        ';Aubert;Léa;1991-01-01;RNCP39001BC02;;25;20;admis',
        ';Carré;Inès;1993-03-03;RNCP39001BC02;;10;20;admis',
        ';Baron;Hugo;1992-02-02;RNCP39001BC07;;10;20;admis',
        ';Baron;Hugo;1992-02-02;;;10;;admis',
      ].join('\n');
      const before = await count('assessmentResults');
      const dry = await upload(
        evaluator,
        'assessment-results',
        'r.csv',
        file,
        `assessmentSessionId=${sessionId}&dryRun=true`,
      );
      expect(dry.json().errors).toEqual([
        { line: 3, column: 'note', message: 'must be between 0 and 20' },
        {
          line: 4,
          column: 'nom_naissance',
          message: 'Inès Carré, born on 1993-03-03, is not registered in this assessment session',
          code: 'not_registered',
          params: { name: 'Inès Carré', birthDate: '1993-03-03' },
        },
        {
          line: 5,
          column: 'code_bloc',
          message: 'RNCP39001BC07 is not a skill block of this certification',
          code: 'not_a_skill_block',
          params: { code: 'RNCP39001BC07' },
        },
        {
          line: 6,
          column: 'code_bloc',
          message: 'give the skill block code or the assessment task',
          code: 'block_or_task_required',
        },
        { line: 6, column: 'note_max', message: 'a score needs the maximum it is out of' },
      ]);
      const real = await upload(
        evaluator,
        'assessment-results',
        'r.csv',
        file,
        `assessmentSessionId=${sessionId}`,
      );
      expect(real.statusCode).toBe(422);
      // Line 2 was right, yet it is not recorded alone.
      expect(await count('assessmentResults')).toBe(before);
    });

    it('only those who record results upload them; another partner’s or evaluator’s session does not exist', async () => {
      const file = `${RESULTS_HEADER}\n;Baron;Hugo;1992-02-02;RNCP39001BC01;;12;20;admis\n`;
      expect(
        (await upload(partnerA, 'assessment-results', 'r.csv', file, `assessmentSessionId=${sessionId}`))
          .statusCode,
      ).toBe(403);
      const other = await server.signIn('evaluator');
      const notAssigned = await upload(
        other,
        'assessment-results',
        'r.csv',
        file,
        `assessmentSessionId=${sessionId}`,
      );
      // An evaluator sees only the sessions it evaluates: this one does not exist for it.
      expect(notAssigned.statusCode).toBe(404);
    });
  });
});

/**
 * A file that cannot be read as the template is refused as a whole with one stable code naming the file, on
 * every upload template alike: each case on each template, the dry run (200, the one error) and the real run
 * (422 import_rejected), and nothing written by either.
 */
describe('chain uploads: file-level problems on every template', () => {
  let server: TestServer;
  let admin: SignedIn;
  /** The query each template's upload needs besides dryRun. */
  const queryOf = {} as Record<UploadKind, string>;
  /** Each template's download name (the stem of the file the API serves), which wrong_template reports. */
  const templateName = {} as Record<UploadKind, string>;

  const count = (table: CountedTable) => countIn(server, table);
  const counts = async () => ({
    trainingSessions: await count('trainingSessions'),
    candidates: await count('candidates'),
    trainingEnrolments: await count('trainingEnrolments'),
    assessmentResults: await count('assessmentResults'),
  });

  const upload = (kind: UploadKind, fileName: string, content: Uint8Array | string, dryRun: boolean) => {
    const body = multipartFile(fileName, content);
    return server.as(admin, {
      method: 'POST',
      url: `/api/chain-uploads/${kind}?${queryOf[kind]}${dryRun ? '&dryRun=true' : ''}`,
      payload: body.payload,
      headers: body.headers,
    });
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    const partner = await server.signIn('partner');
    const cert = await insertChainCertification(server.handle.db, 'RNCP39002');
    await insertActiveHabilitation(server.handle.db, partner.organisationId!, cert.id);
    const session = await server.as(admin, {
      method: 'POST',
      url: '/api/assessment-sessions',
      payload: { certificationId: cert.id, startsAt: '2026-01-10T08:00:00.000Z', modality: 'in_person' },
    });
    expect(session.statusCode).toBe(201);
    queryOf['training-sessions'] = `organisationId=${partner.organisationId}`;
    queryOf['assessment-results'] = `assessmentSessionId=${session.json().id}`;
    for (const kind of uploadKinds) {
      const template = await server.as(admin, {
        method: 'GET',
        url: `/api/chain-uploads/templates/${kind}?format=csv`,
      });
      const name = /filename="([^"]+)\.csv"/.exec(String(template.headers['content-disposition']))?.[1];
      if (!name) throw new Error(`no download name for the ${kind} template`);
      templateName[kind] = name;
    }
  });
  afterAll(() => server.close());

  /** A case builds its file from the template it is sent to (its header) and the other one. */
  interface FileCase {
    name: string;
    code: string;
    content: (kind: UploadKind) => Uint8Array | string | Promise<Uint8Array>;
    params?: (kind: UploadKind) => object;
  }
  const otherKind = (kind: UploadKind) => uploadKinds.find((k) => k !== kind)!;
  const cases: FileCase[] = [
    { name: 'vide.csv', code: 'empty_file', content: () => '' },
    { name: 'blancs.csv', code: 'empty_file', content: () => '\r\n  \r\n' },
    {
      name: 'ancien.xls',
      code: 'legacy_xls',
      content: () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    },
    { name: 'scan.pdf', code: 'not_a_spreadsheet', content: () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n') },
    {
      name: 'abime.xlsx',
      code: 'not_a_spreadsheet',
      content: () => Buffer.from('PK\u0003\u0004 this is no workbook at all'),
    },
    {
      name: 'sans-feuille.xlsx',
      code: 'no_sheet',
      content: async () => new Uint8Array(await new ExcelJS.Workbook().xlsx.writeBuffer()),
    },
    {
      name: 'sans-entete.xlsx',
      code: 'no_header',
      content: async () => {
        const book = new ExcelJS.Workbook();
        book.addWorksheet('Données').getRow(2).values = ['x', 'y'];
        return new Uint8Array(await book.xlsx.writeBuffer());
      },
    },
    { name: 'sans-entete.csv', code: 'no_header', content: () => ';;;\r\nMartin;Camille;;\r\n' },
    {
      name: 'autre-modele.csv',
      code: 'wrong_template',
      content: (kind) => `${headerOf(otherKind(kind))}\r\nMartin;Camille\r\n`,
      params: (kind) => ({ found: templateName[otherKind(kind)], expected: templateName[kind] }),
    },
    {
      name: 'nul.csv',
      code: 'encoding_binary',
      content: (kind) => iconv.encode(`${headerOf(kind)}\r\nMartin\r\n`, 'utf-16le'),
      params: () => ({ line: 1 }),
    },
    {
      name: 'bom.csv',
      code: 'encoding_invalid_utf8',
      content: (kind) =>
        Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(`${headerOf(kind)}\r\n`),
          Buffer.from([0x4d, 0xe9, 0x0d, 0x0a]),
        ]),
      params: () => ({ line: 2 }),
    },
    {
      name: 'octet.csv',
      code: 'encoding_unknown_byte',
      content: (kind) =>
        Buffer.concat([Buffer.from(`${headerOf(kind)}\r\n`), Buffer.from([0x41, 0x81, 0x0d, 0x0a])]),
      params: () => ({ line: 2, byte: '0x81' }),
    },
    {
      name: 'melange.csv',
      code: 'encoding_mixed',
      content: (kind) =>
        Buffer.concat([
          Buffer.from(`${headerOf(kind)}\r\nÉric\r\n`, 'utf8'),
          iconv.encode('Hélène\r\n', 'win1252'),
        ]),
      params: () => ({ line: 3, utf8Line: 2 }),
    },
    {
      name: 'guillemet.csv',
      code: 'csv_unreadable',
      content: (kind) => `${headerOf(kind)}\r\n"Martin;Camille\r\n`,
    },
    {
      name: 'enorme.csv',
      code: 'too_many_rows',
      content: (kind) => `${headerOf(kind)}\r\n${'x\r\n'.repeat(MAX_UPLOAD_ROWS + 1)}`,
      params: () => ({ count: MAX_UPLOAD_ROWS + 1, max: MAX_UPLOAD_ROWS }),
    },
  ];

  it('covers every file-level code on every template', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(
      new Set(uploadIssueCodes.slice(uploadIssueCodes.indexOf('empty_file'))),
    );
    expect(uploadKinds.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(uploadKinds)('%s', (kind) => {
    it.each(cases.map((c) => [c.code, c.name, c] as const))('%s (%s)', async (_code, _name, c) => {
      const content = await c.content(kind);
      const before = await counts();
      const dry = await upload(kind, c.name, content, true);
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ kind, dryRun: true, committed: false });
      expect(dry.json().errors).toEqual([
        expect.objectContaining({
          column: null,
          code: c.code,
          message: expect.stringContaining(`« ${c.name} »`),
          params: expect.objectContaining({ file: c.name, ...c.params?.(kind) }),
        }),
      ]);
      const real = await upload(kind, c.name, content, false);
      expect(real.statusCode).toBe(422);
      expect(real.json()).toMatchObject({
        code: 'import_rejected',
        detail: expect.stringMatching(new RegExp(`^${c.name.replace('.', '\\.')} has 1 error`)),
        details: { errors: [expect.objectContaining({ code: c.code })] },
      });
      expect(await counts()).toEqual(before);
    });
  });
});
