// The reports area in a real browser against the built server: set up through the API (a certification, a
// habilitated partner), then through the UI the admin downloads the evidence dossier ZIP from « Rapports »,
// which `habilis dossier verify` accepts; an empty period is refused with a message saying so; the PDF
// report alone downloads too; the statistics table shows. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { launchBrowser, root, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'claire.martin@certif.example',
  name: 'Claire Martin',
  password: 'Rapports-Certif-2026',
};

let server;
let browser;
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

test('Rapports: evidence dossier (ZIP verified, PDF), empty period refused, statistics', {
  timeout: 300_000,
}, async () => {
  await page.goto(server.setupLink);
  await page.getByLabel('Adresse e-mail').fill(admin.email);
  await page.getByLabel('Nom et prénom').fill(admin.name);
  await page.getByLabel(/^Mot de passe/).fill(admin.password);
  await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
  await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
  await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();

  const certification = ok(
    await apiCall('POST', '/api/certifications', {
      code: 'RNCP38811',
      title: 'Responsable qualité des réseaux de formation',
      level: '6',
      isOwned: true,
      registeredOn: '2024-01-15',
      skillBlocks: [{ code: 'RNCP38811BC01', title: 'Piloter la qualité' }],
    }),
  );
  const organisation = ok(
    await apiCall('POST', '/api/organisations', { siret: '73282932000074', legalName: 'Formest' }),
  );
  ok(
    await apiCall('POST', '/api/habilitations', {
      organisationId: organisation.id,
      certificationId: certification.id,
      scope: 'both',
      startsOn: '2025-01-01',
    }),
  );

  const menu = page
    .getByRole('navigation', { name: 'Navigation principale' })
    .getByRole('link', { name: 'Rapports', exact: true });
  assert.doesNotMatch((await menu.textContent()) ?? '', /Bientôt/);
  await menu.click();
  await page.getByRole('heading', { name: 'Dossier de preuves' }).waitFor();

  await page
    .getByRole('combobox', { name: /^Certification/ })
    .first()
    .fill('38811');
  await page.getByRole('option', { name: /RNCP38811/ }).click();
  const zipDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Télécharger le dossier (ZIP)' }).click();
  const zip = await zipDownload;
  assert.match(zip.suggestedFilename(), /^dossier-RNCP38811-\d{4}-\d{2}-\d{2}\.zip$/);
  const zipPath = path.join(server.dataDir, zip.suggestedFilename());
  await zip.saveAs(zipPath);
  const verified = execFileSync(
    process.execPath,
    [path.join(root, 'bin', 'habilis.js'), 'dossier', 'verify', zipPath],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HABILIS_DATA_DIR: server.dataDir,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    },
  );
  assert.match(verified, /^dossier OK: \d+ files match the manifest/);

  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Rapport seul (PDF)' }).click();
  assert.match((await pdfDownload).suggestedFilename(), /\.pdf$/);

  await page.getByLabel('Du', { exact: true }).fill('01/01/2001');
  await page.getByLabel('Du', { exact: true }).press('Tab');
  await page.getByLabel('Au', { exact: true }).fill('31/12/2001');
  await page.getByLabel('Au', { exact: true }).press('Tab');
  await page.getByRole('button', { name: 'Télécharger le dossier (ZIP)' }).click();
  await page.getByText(/il n’y a rien à prouver/).waitFor();
  await screenshot(page, 'reports-dossier');

  await page.getByRole('heading', { name: 'Statistiques' }).scrollIntoViewIfNeeded();
  await page.getByText('Aucune donnée pour ces critères.').waitFor();
  await screenshot(page, 'reports-statistics');
  assert.deepEqual(problems, []);
});

test('Logo des rapports: upload on the certifier settings, preview, a non-image refused, removal', {
  timeout: 120_000,
}, async () => {
  const canvas = createCanvas(240, 90);
  const context = canvas.getContext('2d');
  context.fillStyle = '#1c3d6e';
  context.fillRect(0, 0, 240, 90);
  const png = canvas.toBuffer('image/png');

  await page.goto(`${server.baseUrl}/admin/settings`);
  await page.getByRole('heading', { name: 'Logo des rapports' }).waitFor();
  await page.getByText('Aucun logo : les rapports portent le nom du certificateur seul.').waitFor();
  const input = page.locator('input[type=file]');
  await input.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  await page.getByText('Logo enregistré').first().waitFor();
  const preview = page.getByRole('img', { name: 'Logo actuel des rapports' });
  await preview.waitFor();
  assert.ok(await preview.evaluate((img) => img.complete && img.naturalWidth === 240));
  await screenshot(page, 'reports-logo');

  // A text file named .png is refused before it leaves the browser, and the logo stays.
  await input.setInputFiles({
    name: 'faux.png',
    mimeType: 'image/png',
    buffer: Buffer.from('pas une image'),
  });
  await page.getByRole('alert').filter({ hasText: 'n’est pas une image PNG ou JPEG' }).waitFor();
  await preview.waitFor();

  await page.getByRole('button', { name: 'Retirer le logo' }).click();
  await page.getByText('Aucun logo : les rapports portent le nom du certificateur seul.').waitFor();
  const audit = ok(await apiCall('GET', '/api/audit-log?limit=50'));
  assert.equal(audit.items.filter((e) => e.action === 'report.logo').length, 2);
  assert.deepEqual(problems, []);
});
