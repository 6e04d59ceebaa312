import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../../test/pdf.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../test/server.js';
import type { MailMessage } from './mail/mailer.js';

describe('InsertionSurveyService', () => {
  let server: TestServer;
  let admin: SignedIn;
  let code: string;
  let year: number;
  let holders: number;
  const sent: MailMessage[] = [];
  const tokenOf = (m: MailMessage) => m.link!.split('/survey/')[1]!.split('?')[0]!;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    await server.services.demo.load(system, { seed: 5, partners: 6 });
    const cohort = await sql<{ code: string; year: number; n: number }>`
      select c.code, extract(year from x.issued_on)::int as year, count(*)::int as n
      from certificates x join certifications c on c.id = x.certification_id
      group by 1, 2 order by n desc limit 1`.execute(server.handle.db);
    ({ code, year, n: holders } = cohort.rows[0]!);
    await sql`update candidates set email = 'titulaire-' || left(id::text, 8) || '@example.org'`.execute(
      server.handle.db,
    );
    // One holder without an address cannot be invited.
    await sql`update candidates set email = null where id = (
      select x.candidate_id from certificates x join certifications c on c.id = x.certification_id
      where c.code = ${code} and extract(year from x.issued_on)::int = ${year} order by x.number limit 1)`.execute(
      server.handle.db,
    );
    // One holder is also known to Habilis as an English-speaking user: their invitation is in English.
    await sql`update users set locale = 'en' where id = ${admin.userId}`.execute(server.handle.db);
    await sql`update candidates set email = (select upper(email) from users where id = ${admin.userId})
      where id = (
      select x.candidate_id from certificates x join certifications c on c.id = x.certification_id
      where c.code = ${code} and extract(year from x.issued_on)::int = ${year} order by x.number desc limit 1)`.execute(
      server.handle.db,
    );
    server.services.ctx.mailer = {
      via: 'outbox',
      setLog() {},
      async send(message) {
        sent.push(message);
        return { delivered: true, via: 'outbox', file: 'x' };
      },
    };
  });
  afterAll(() => server.close());

  it('a campaign invites every holder of the cohort with an address, each by a personal link', async () => {
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/reports/insertion-surveys',
      payload: { certification: code, horizon: '6_months', cohortYear: year, closesOn: '2099-12-31' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      certificationCode: code,
      withoutEmail: 1,
      rates: { invited: holders - 1, respondents: 0 },
    });
    expect(sent).toHaveLength(holders - 1);
    expect(new Set(sent.map(tokenOf)).size).toBe(holders - 1);
    expect(sent[0]!.text).toContain('http://habilis.test/survey/');
    // French unless the holder's language is known to be English.
    const english = sent.filter((m) => m.link!.endsWith('?lang=en'));
    expect(english).toHaveLength(1);
    expect(english[0]!.subject).toContain('your situation 6 months after the certification');
    expect(english[0]!.text).toContain('One question, less than a minute');
    const french = sent.filter((m) => !m.link!.includes('?lang='));
    expect(french).toHaveLength(holders - 2);
    expect(french[0]!.subject).toContain('votre situation 6 mois après la certification');
    const again = await server.as(admin, {
      method: 'POST',
      url: '/api/reports/insertion-surveys',
      payload: { certification: code, horizon: '6_months', cohortYear: year, closesOn: '2099-12-31' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('holders answer once through their link, without signing in', async () => {
    const [first, second] = sent;
    const question = await server.as(undefined, { method: 'GET', url: `/api/surveys/${tokenOf(first!)}` });
    expect(question.statusCode).toBe(200);
    expect(question.json()).toMatchObject({ certificationCode: code, answered: false, closed: false });
    const answer = await server.as(undefined, {
      method: 'POST',
      url: `/api/surveys/${tokenOf(first!)}`,
      payload: { situation: 'employed_target' },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().answered).toBe(true);
    const twice = await server.as(undefined, {
      method: 'POST',
      url: `/api/surveys/${tokenOf(first!)}`,
      payload: { situation: 'job_seeking' },
    });
    expect(twice.statusCode).toBe(409);
    await server.as(undefined, {
      method: 'POST',
      url: `/api/surveys/${tokenOf(second!)}`,
      payload: { situation: 'further_studies' },
    });
    const unknown = await server.as(undefined, { method: 'GET', url: `/api/surveys/${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
  });

  it('gives the response rate and the two rates, further studies left out', async () => {
    for (const [i, situation] of ['employed_other', 'job_seeking'].entries())
      await server.services.insertionSurveys.answer({ token: tokenOf(sent[2 + i]!) }, { situation });
    const [survey] = await server.services.insertionSurveys.list(system, { certification: code });
    expect(survey!.answers).toEqual({
      employed_target: 1,
      further_studies: 1,
      employed_other: 1,
      job_seeking: 1,
    });
    expect(survey!.rates).toMatchObject({
      invited: holders - 1,
      respondents: 4,
      excluded: 1,
      base: 3,
      targetRate: 1 / 3,
      globalRate: 2 / 3,
    });
  });

  it('the evidence dossier reports the campaign in its insertion section', async () => {
    const { content } = await server.services.dossiers.pdf(system, { certification: code });
    const pdf = await readPdf(content);
    expect(pdf.text).toContain(`Enquête à 6 mois, titulaires ${year}`);
    expect(pdf.text).toContain('4 réponse(s)');
  });

  it('the statistics workbook carries the campaign and its two rates', async () => {
    const file = await server.services.statistics.exportXlsx(system, { certification: code });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Insertion')!;
    const row = sheet.getRow(6);
    expect(row.getCell(1).value).toBe(code);
    expect(row.getCell(3).value).toBe(year);
    expect(row.getCell(5).value).toBe(4);
    expect(row.getCell(11).value).toBeCloseTo(1 / 3);
    expect(row.getCell(12).value).toBeCloseTo(2 / 3);
  });

  it('an international occupation counts work abroad in it; otherwise it stays out of both rates', async () => {
    const before = sent.length;
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/reports/insertion-surveys',
      payload: {
        certification: code,
        horizon: '2_years',
        cohortYear: year,
        closesOn: '2099-12-31',
        internationalOccupation: true,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().internationalOccupation).toBe(true);
    const links = sent.slice(before);
    for (const [i, situation] of ['abroad_target', 'abroad', 'employed_target'].entries())
      await server.services.insertionSurveys.answer({ token: tokenOf(links[i]!) }, { situation });
    const survey = (await server.services.insertionSurveys.list(system, { certification: code })).find(
      (s) => s.horizon === '2_years',
    )!;
    expect(survey.answers).toEqual({ abroad_target: 1, abroad: 1, employed_target: 1 });
    expect(survey.rates).toMatchObject({
      respondents: 3,
      excluded: 1,
      base: 2,
      targetRate: 1,
      globalRate: 1,
    });
  });
});
