// List exports in a real browser against the built server: set up through the API (a certification, two
// partners habilitated for it), then the admin opens the habilitations list filtered on one partner and
// downloads it from the « Exporter » menu as CSV (UTF-8 with a BOM, `;`, only the filtered partner) and as
// XLSX; the menu is on the conventions and sessions lists too. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'marion.export@certif.example',
  name: 'Marion Lefèvre',
  password: 'Exports-Listes-2026',
};

let server;
let browser;
/** Formest, the partner the first test creates (its page's panels are checked by the last one). */
let formestId;
let page;
const problems = [];

async function apiCall(method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = await (await fetch('/api/auth/session')).json();
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    { method, url, body },
  );
}
const ok = (res) => {
  assert.ok(res.status < 300, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => problems.push(error.message));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

async function download(menuItem) {
  await page.getByRole('button', { name: 'Exporter' }).click();
  const pending = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: menuItem }).click();
  const file = await pending;
  const target = path.join(server.dataDir, file.suggestedFilename());
  await file.saveAs(target);
  return { name: file.suggestedFilename(), content: await readFile(target) };
}

test('Exporter: the habilitations list with its filter, as CSV and XLSX', { timeout: 300_000 }, async () => {
  await page.goto(server.setupLink);
  await page.getByLabel('Adresse e-mail').fill(admin.email);
  await page.getByLabel('Nom et prénom').fill(admin.name);
  await page.getByLabel(/^Mot de passe/).fill(admin.password);
  await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
  await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
  await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();

  const certification = ok(
    await apiCall('POST', '/api/certifications', {
      code: 'RNCP38812',
      title: 'Chargé de projets qualité',
      level: '6',
      isOwned: true,
      registeredOn: '2024-01-15',
      skillBlocks: [{ code: 'RNCP38812BC01', title: 'Conduire un projet' }],
    }),
  );
  const formest = ok(
    await apiCall('POST', '/api/organisations', { siret: '73282932000074', legalName: 'Formest' }),
  );
  formestId = formest.id;
  const formouest = ok(
    await apiCall('POST', '/api/organisations', { siret: '55210055400013', legalName: 'Formouest' }),
  );
  for (const organisation of [formest, formouest])
    ok(
      await apiCall('POST', '/api/habilitations', {
        organisationId: organisation.id,
        certificationId: certification.id,
        scope: 'both',
        startsOn: '2025-01-01',
      }),
    );

  await page.goto(`${server.baseUrl}/habilitations?organisation=${formest.id}`);
  await page.getByRole('heading', { name: 'Habilitations' }).first().waitFor();
  await page.getByText('Formest').first().waitFor();
  await screenshot(page, 'list-exports-01-habilitations');

  const csv = await download('CSV (séparateur ;)');
  assert.match(csv.name, /^habilitations-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual([...csv.content.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = csv.content.toString('utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], /^Organisme;Certification;/);
  assert.match(lines[1], /^Formest;RNCP38812;/);

  const xlsx = await download('Classeur Excel (XLSX)');
  assert.match(xlsx.name, /^habilitations-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.deepEqual([...xlsx.content.subarray(0, 2)], [0x50, 0x4b]);

  for (const [url, heading] of [
    ['/conventions', 'Conventions'],
    ['/sessions', 'Sessions'],
    ['/certifications', 'Certifications'],
    ['/registry/imports', 'Registre France Compétences'],
    ['/registry/findings', 'Registre France Compétences'],
    ['/admin/users', 'Administration'],
  ]) {
    await page.goto(`${server.baseUrl}${url}`);
    await page.getByRole('heading', { name: heading }).first().waitFor();
    // The users page has two (its accounts, and the invitations panel below them).
    await page
      .getByRole('button', { name: 'Exporter' })
      .first()
      .waitFor()
      .catch((error) => {
        throw new Error(`no Exporter menu on ${url}: ${error.message}`);
      });
  }
  assert.deepEqual(problems, []);
});

test('Exporter in English: titles and the labels of codes follow the screen language', {
  timeout: 120_000,
}, async () => {
  await page.evaluate(() => localStorage.setItem('habilis.language', 'en'));
  await page.goto(`${server.baseUrl}/habilitations`);
  await page.getByRole('heading', { name: 'Habilitations' }).first().waitFor();
  await page.getByRole('button', { name: 'Export' }).click();
  const pending = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /^CSV/ }).click();
  const file = await pending;
  const target = path.join(server.dataDir, `en-${file.suggestedFilename()}`);
  await file.saveAs(target);
  const lines = (await readFile(target, 'utf8')).slice(1).trimEnd().split('\r\n');
  assert.match(lines[0], /^Organisation;Certification;Title;Scope;/);
  assert.equal(lines.length, 3, lines.join('\n'));
  for (const line of lines.slice(1)) {
    assert.match(line, /;Train and assess;/);
    // A habilitation created without a decision is an application: « Demande » on a French screen.
    assert.match(line, /;Application$/);
  }
  await page.evaluate(() => localStorage.setItem('habilis.language', 'fr'));
  assert.deepEqual(problems, []);
});

test('Exporter: the control plan of the year and the audit log with its actions named', {
  timeout: 180_000,
}, async () => {
  const year = new Date().getUTCFullYear() + 1;
  ok(await apiCall('POST', '/api/control-plans', { year }));
  await page.goto(`${server.baseUrl}/control-plan`);
  await page.getByRole('heading', { name: 'Plan de contrôle' }).first().waitFor();
  await screenshot(page, 'list-exports-02-control-plan');
  const plan = await download('CSV (séparateur ;)');
  assert.match(plan.name, new RegExp(`^plan-de-controle-${year}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const planLines = plan.content.toString('utf8').slice(1).trimEnd().split('\r\n');
  assert.match(planLines[0], /^Prévu le;Organisme;SIRET;Risque;/);

  await page.goto(`${server.baseUrl}/evidence`);
  await page.getByRole('heading', { name: 'Journal d’audit' }).first().waitFor();
  const log = await download('CSV (séparateur ;)');
  assert.match(log.name, /^journal-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const logText = log.content.toString('utf8');
  // The action as the screen names it, with its code beside it.
  assert.match(logText, /;Création d’organisme;organisation\.create;/);
  assert.match(logText, /;Proposition du plan de contrôle;control_plan\.propose;/);

  // A partner page: its directory (overview) and each list panel have their own menu.
  for (const tab of ['', '?tab=habilitations', '?tab=evidence', '?tab=findings', '?tab=accounts']) {
    await page.goto(`${server.baseUrl}/organisations/${formestId}${tab}`);
    await page.getByRole('heading', { name: 'Formest' }).first().waitFor();
    await page
      .getByRole('button', { name: 'Exporter' })
      .first()
      .waitFor()
      .catch((error) => {
        throw new Error(`no Exporter menu on the partner page ${tab}: ${error.message}`);
      });
  }
  await screenshot(page, 'list-exports-03-partner-accounts');
  assert.deepEqual(problems, []);
});
