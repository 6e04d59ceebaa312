// The Communication area in a real browser against the built server: the certifier's certification set up
// through the API; the catalogue of CPF offers uploaded from the page — first without a file, then a file
// missing its SIRET column (refused, nothing written, the reason shown), then a catalogue with one offer
// by an unknown seller and one broken row (imported, the rejected row listed with its line); the sellers
// list with the unknown seller first and its offers; the history with the import's rejected row; the rules
// and the list of forbidden claims edited; the finding in the findings list. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'claire.dumas@certif.example',
  name: 'Claire Dumas',
  password: 'Communication-CPF-2026',
};

const header =
  'date_extract;numero_formation;siret;nom_of;type_referentiel;code_rncp;intitule_formation;frais_ttc_tot_min;frais_ttc_tot_max';
const catalogue = [
  header,
  '2026-03-01;99999999800019_DWWM;99999999800019;ORGANISME EXEMPLE FORMATION;RNCP;37674;Titre professionnel Développeur web et web mobile;6900;7400',
  '2026-03-01;BROKEN-1;123;AUTRE;RNCP;37674;Développeur web;1000;1000',
].join('\n');

let server;
let browser;
let page;
let tmp;
const browserProblems = [];

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'habilis-e2e-cpf-'));
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      browserProblems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => browserProblems.push(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

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

test('communication: upload the CPF catalogue, see the unknown seller first, edit the forbidden claims', {
  timeout: 240_000,
}, async (t) => {
  await t.test('the administrator signs in; the certification exists', async () => {
    await page.goto(server.setupLink);
    await page.getByLabel('Adresse e-mail').fill(admin.email);
    await page.getByLabel('Nom et prénom').fill(admin.name);
    await page.getByLabel(/^Mot de passe/).fill(admin.password);
    await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
    await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();
    const res = await apiCall('POST', '/api/certifications', {
      code: 'RNCP37674',
      title: 'Développeur web et web mobile',
      level: '5',
      isActive: true,
      isOwned: true,
    });
    assert.ok(res.status < 300, JSON.stringify(res.body));
  });

  await t.test('the Communication page is empty until a catalogue is imported', async () => {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Communication (offres CPF)' })
      .click();
    await page.getByRole('heading', { name: 'Communication (offres CPF)' }).waitFor();
    await page.getByText('Aucune offre importée pour ces critères', { exact: false }).waitFor();
  });

  await t.test('a file without a file, then without its SIRET column, is refused', async () => {
    await page.getByRole('button', { name: 'Importer le catalogue' }).click();
    await page.getByRole('button', { name: 'Importer et contrôler' }).click();
    await page.getByText('Choisissez le fichier du catalogue.').waitFor();
    const broken = path.join(tmp, 'sans-siret.csv');
    await writeFile(broken, 'numero_formation;intitule_formation;code_rncp\nA1;Formation;37674\n');
    await page.locator('input[type="file"]').setInputFiles(broken);
    await page.getByRole('button', { name: 'Importer et contrôler' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Le fichier a été refusé' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /siret/);
    await screenshot(page, 'communication-01-refused');
  });

  await t.test('the catalogue is imported; the broken row is listed with its line', async () => {
    const file = path.join(tmp, 'catalogue.csv');
    await writeFile(file, catalogue);
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Importer et contrôler' }).click();
    await page
      .getByText('Catalogue importé : 1 offre porte sur vos certifications (offres lues : 1).')
      .waitFor();
    const rejected = page.getByRole('table', { name: '1 ligne rejetée (non importée)' });
    await rejected.getByRole('row', { name: /3 siret invalid_siret/ }).waitFor();
    await screenshot(page, 'communication-02-imported');
  });

  await t.test('the unknown seller comes first, with its offers', async () => {
    const sellers = page.getByRole('table', { name: 'Vendeurs' });
    const row = sellers.getByRole('row', { name: /Vendeur inconnu/ });
    await row.waitFor();
    assert.match(await row.innerText(), /RNCP37674/);
    await row.getByRole('button', { name: /Voir les offres/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Titre professionnel Développeur web et web mobile').waitFor();
    await screenshot(page, 'communication-03-offers');
    await page.keyboard.press('Escape');
  });

  await t.test('the history keeps the import and its rejected row', async () => {
    await page.getByRole('tab', { name: 'Historique des imports' }).click();
    const history = page.getByRole('table', { name: 'Historique des imports' });
    await history.getByRole('row', { name: /catalogue\.csv/ }).waitFor();
    await history
      .getByRole('row', { name: /catalogue\.csv/ })
      .getByRole('button')
      .click();
    await page.getByRole('dialog').getByText('invalid_siret').waitFor();
    await page.keyboard.press('Escape');
  });

  await t.test('the rules are listed and the forbidden claims edited', async () => {
    await page.getByRole('tab', { name: 'Règles et allégations interdites' }).click();
    await page.getByText('cpf.seller-not-habilitated').waitFor();
    await page.getByRole('button', { name: 'Ajouter une expression' }).click();
    const phrases = page.getByRole('textbox', { name: 'Expression' });
    await phrases.last().fill('certifié par l’État');
    await page
      .getByRole('textbox', { name: 'Pourquoi elle trompe' })
      .last()
      .fill('Un titre RNCP est enregistré, pas certifié par l’État.');
    await page.getByRole('button', { name: 'Enregistrer la liste' }).click();
    await page.getByText('La liste des allégations interdites est enregistrée.').waitFor();
    await screenshot(page, 'communication-04-rules');
    const settings = await apiCall('GET', '/api/cpf-offers/settings');
    assert.ok(settings.body.forbiddenClaims.some((c) => c.phrase === 'certifié par l’État'));
  });

  await t.test('the finding is an ordinary finding of the network', async () => {
    const findings = await apiCall('GET', '/api/findings?limit=50');
    assert.ok(
      findings.body.items.some((f) => f.ruleId === 'cpf.seller-not-habilitated' && f.status === 'open'),
    );
    assert.deepEqual(browserProblems, []);
  });
});
