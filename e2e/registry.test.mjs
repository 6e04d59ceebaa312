// The France Compétences registry in a real browser against the built server: the real RNCP sample of
// /work/shared/samples (or its copy in the importer's fixtures) uploaded from the import page with the
// certifier's SIRET, the upload and import progress bars running to their end, the import's figures; the
// import run with the changes it recorded; the registry searched by title and by certifier; the fiche page
// with its skill blocks, access routes, statistics, predecessor and successor, declared partners, gaps with
// Habilis and history; then a truncated file refused with its file, line and column, the registry left as
// it was. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, root, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'nadia.morel@certif.example',
  name: 'Nadia Morel',
  password: 'Registre-France-2026',
};
const sampleName = 'rncp-v4.1-fiches-sample.xml';
const shared = path.join('/work/shared/samples', sampleName);
const sample = existsSync(shared)
  ? shared
  : path.join(root, 'src/importers/france-competences/fixtures', sampleName);
// The certifier of RNCP40344 in the sample.
const certifierSiret = '52875765100013';

let server;
let browser;
let page;
let tmp;
const browserProblems = [];

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'habilis-e2e-registry-'));
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error') browserProblems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => browserProblems.push(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The value (0–100) of the progress bar with this label. */
const progressOf = (label) =>
  page.getByRole('progressbar', { name: label }).getAttribute('aria-valuenow').then(Number);

test('registry: upload an export with progress, browse the fiches, refuse a broken file', {
  timeout: 240_000,
}, async (t) => {
  await t.test('the first administrator signs in and finds the empty registry', async () => {
    await page.goto(server.setupLink);
    await page.getByLabel('Adresse e-mail').fill(admin.email);
    await page.getByLabel('Nom et prénom').fill(admin.name);
    await page.getByLabel(/^Mot de passe/).fill(admin.password);
    await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
    await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Registre France Compétences' })
      .click();
    await page.getByRole('heading', { name: 'Registre France Compétences' }).waitFor();
    await page.getByText('Le registre est vide', { exact: false }).waitFor();
  });

  await t.test('the real RNCP sample is uploaded; both progress bars reach their end', async () => {
    await page.getByRole('link', { name: 'Importer un export' }).click();
    await page.getByRole('heading', { name: 'Importer un export France Compétences' }).waitFor();
    // Nothing chosen: the page says so and sends nothing.
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    await page.getByText('Choisissez le fichier à importer.').waitFor();
    await page.getByLabel(/^SIRET de votre organisme/).fill('123');
    await page.locator('input[type="file"]').setInputFiles(sample);
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    await page.getByText('Un SIRET a 14 chiffres.').waitFor();
    await page.getByLabel(/^SIRET de votre organisme/).fill(certifierSiret);
    await page.getByRole('button', { name: 'Lancer l’import' }).click();

    await page.getByRole('progressbar', { name: 'Lecture et import' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Import terminé' }).waitFor();
    assert.match(new URL(page.url()).search, /job=[0-9a-f-]{36}/, 'the job is kept in the address');
    assert.equal(await progressOf('Fichier envoyé'), 100);
    assert.equal(await progressOf('Lecture et import'), 100);
    const size = (await readFile(sample)).length;
    await page.getByText('3 fiches lues', { exact: false }).waitFor();
    assert.ok(size > 70_000);
    await page.getByText('3 nouvelles fiches, 0 modifiées, 0 inchangées', { exact: false }).waitFor();
    await page.getByText('Partenaires déclarés', { exact: true }).waitFor();
    await screenshot(page, 'registry-01-import-done');

    // A reload keeps following the same job.
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Import terminé' }).waitFor();
  });

  await t.test('the import run lists what it changed, fiche by fiche', async () => {
    await page.getByRole('link', { name: 'Voir le détail de l’import' }).click();
    await page.getByRole('heading', { name: /^Import du / }).waitFor();
    await page.getByText(sampleName).first().waitFor();
    const changes = page.getByRole('table', { name: 'Changements enregistrés par cet import' });
    await changes.getByRole('row', { name: /RNCP40344/ }).waitFor();
    assert.equal(await changes.getByText('Nouvelle fiche').count(), 3);
    await screenshot(page, 'registry-02-run');
    await page.getByRole('link', { name: 'Retour aux imports' }).click();
    await page.getByRole('row', { name: /Registre mis à jour/ }).waitFor();
  });

  await t.test('the registry is searched by title and by certifier', async () => {
    await page.getByRole('tab', { name: 'Fiches' }).click();
    const table = page.getByRole('table', { name: 'Registre France Compétences' });
    await table.getByRole('row', { name: /RNCP35809/ }).waitFor();
    await page.getByLabel('Code ou intitulé').fill('vétérinaire');
    await table.getByRole('row', { name: /RNCP40344/ }).waitFor();
    await table.getByRole('row', { name: /RNCP35809/ }).waitFor({ state: 'detached' });
    await page.getByLabel('Code ou intitulé').fill('');
    await page.getByLabel('Certificateur').fill(certifierSiret);
    await table.getByRole('row', { name: /RNCP35809/ }).waitFor({ state: 'detached' });
    await table
      .getByRole('row', { name: /RNCP40344/ })
      .getByText('Votre fiche')
      .waitFor();
    await screenshot(page, 'registry-03-search');
  });

  await t.test('the fiche page shows everything a certifier uses', async () => {
    await page.getByRole('link', { name: 'RNCP40344' }).click();
    await page.getByRole('heading', { name: /RNCP40344 — Auxiliaire spécialisé vétérinaire/ }).waitFor();
    for (const section of [
      'Enregistrement',
      'Certificateurs',
      'Blocs de compétences',
      'Voies d’accès',
      'Statistiques',
      'Fiches liées',
      'Partenaires déclarés à France Compétences',
      'Écarts avec les habilitations de Habilis',
      'Historique des changements',
    ])
      await page.getByRole('heading', { name: section, exact: true }).waitFor();
    await page.getByRole('link', { name: 'RNCP37507' }).first().waitFor();
    await page.getByRole('table', { name: 'Voies d’accès' }).getByText('SI_JURY_VAE').waitFor();
    const partners = page.getByRole('table', { name: 'Partenaires déclarés à France Compétences' });
    assert.ok((await partners.getByRole('row').count()) > 20, 'the 24 declared partners are listed');
    await page.getByText('24 actifs sur 24 déclarés').waitFor();
    // Habilis knows none of them: each declared partner is a gap, with its line in the file.
    await page.getByText('Déclaré mais inconnu de Habilis').first().waitFor();
    await page
      .getByText(new RegExp(`${sampleName.replace(/\./g, '\\.')}, ligne \\d+`))
      .first()
      .waitFor();
    const block = page.getByRole('button', { name: /RNCP40344BC01/ });
    await block.click();
    await page.getByText('Modalités d’évaluation').first().waitFor();
    await page
      .getByRole('table', { name: 'Historique des changements' })
      .getByText('Nouvelle fiche')
      .waitFor();
    await screenshot(page, 'registry-04-fiche');
  });

  await t.test('a truncated export is refused naming its line and column; nothing changes', async () => {
    const broken = path.join(tmp, 'export_fiches_RNCP_V4_1_2026-09-01.xml');
    await writeFile(broken, (await readFile(sample)).subarray(0, 30_000));
    await page.goto(`${server.baseUrl}/registry/import`);
    await page.locator('input[type="file"]').setInputFiles(broken);
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Import refusé' });
    await alert.waitFor();
    await alert
      .getByText(/^Fichier export_fiches_RNCP_V4_1_2026-09-01\.xml, ligne \d+, colonne \d+$/)
      .waitFor();
    await alert.getByText(/malformed or truncated XML/).waitFor();
    await screenshot(page, 'registry-05-refused');
    await page.goto(`${server.baseUrl}/registry/imports`);
    const runs = page.getByRole('table', { name: 'Imports' });
    await runs.getByRole('row', { name: /Registre mis à jour/ }).waitFor();
    assert.equal(await runs.getByRole('row').count(), 2, 'header + the one successful import');
  });

  // The session check before sign-in answers 401; the failed import's job is a 200 answer, so nothing
  // else may fail.
  assert.deepEqual(
    browserProblems.filter((p) => !/status of 401\b/.test(p)),
    [],
  );
});
