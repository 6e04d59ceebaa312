// The partner network in a real browser against the built server: a certification (created through the
// API), a partner onboarded through the UI, habilitated on the certification, refused activation while it
// has no signed convention, its convention created and signed with the signed PDF uploaded as evidence
// (and downloaded back), the habilitation activated then suspended with reasons, the partner page's tabs
// and timeline; then a partner user who cannot reach another partner's page ("introuvable", API 404).
// Screenshots of each screen go to test-results/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'claire.bernard@certif.example',
  name: 'Claire Bernard',
  password: 'Reseau-Habilite-2026',
};
const partnerUser = {
  email: 'hugo.leroy@formasud.example',
  name: 'Hugo Leroy',
  password: 'Partenaire-Sud-2026',
};
const certification = {
  code: 'RNCP35419',
  title: 'Responsable de la qualité en formation professionnelle',
  level: '6',
  isOwned: true,
  registeredOn: '2024-03-01',
  endsOn: '2029-03-01',
  skillBlocks: [
    {
      code: 'RNCP35419BC01',
      title: 'Piloter la démarche qualité',
      competences: 'Élaborer la politique qualité.\nConduire un audit interne.',
      assessmentRules: 'Mise en situation professionnelle et dossier écrit, évalués par un jury.',
    },
    {
      code: 'RNCP35419BC02',
      title: 'Animer le réseau de partenaires',
      competences: 'Contrôler les partenaires habilités.',
      assessmentRules: 'Étude de cas.',
    },
  ],
};
const partner = { siret: '732 829 320 00074', name: 'Formasud', postalCode: '34000', city: 'Montpellier' };
const otherPartner = { siret: '44306184100047', legalName: 'Autre Formation Nord' };
const conventionRef = 'CONV-2026-014';
// The smallest file the server recognises as a PDF from its first bytes.
const signedPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

let server;
let browser;
let page;
const browserProblems = [];

/** A JSON call from the signed-in page, with its CSRF token (as the app itself would send it). */
async function apiCall(target, method, path, body) {
  return target.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/auth/session')).json();
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    { method, path, body },
  );
}

function watchProblems(target, label) {
  target.on('console', (message) => {
    if (message.type() === 'error') browserProblems.push(`${label} console: ${message.text()}`);
  });
  target.on('pageerror', (error) => browserProblems.push(`${label} page error: ${error.message}`));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watchProblems(page, 'admin');
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

async function decide(action, reasons) {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Motifs de la décision/).fill(reasons);
  await dialog.getByRole('button', { name: 'Enregistrer la décision' }).click();
  return dialog;
}

test('partner network: habilitate, sign the convention, activate, suspend', {
  timeout: 240_000,
}, async (t) => {
  let habilitationUrl;
  let organisationUrl;

  await t.test('the first administrator signs in; the network areas are built', async () => {
    await page.goto(server.setupLink);
    await page.getByLabel('Adresse e-mail').fill(admin.email);
    await page.getByLabel('Nom et prénom').fill(admin.name);
    await page.getByLabel(/^Mot de passe/).fill(admin.password);
    await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
    await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    for (const area of ['Certifications', 'Habilitations', 'Conventions']) {
      const link = nav.getByRole('link', { name: area });
      await link.waitFor();
      assert.doesNotMatch((await link.textContent()) ?? '', /Bientôt/, `${area} is no longer a placeholder`);
    }
  });

  await t.test('a certification created through the API shows in the register with its blocks', async () => {
    const created = await apiCall(page, 'POST', '/api/certifications', certification);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.getByRole('link', { name: 'Certifications' }).click();
    await page.getByRole('heading', { name: 'Certifications' }).waitFor();
    await page.getByRole('row', { name: /RNCP35419/ }).waitFor();
    await page.getByRole('radiogroup', { name: 'Propriété' }).getByText('Suivies').click();
    await page.getByText('Aucune certification ne correspond à ces critères.').waitFor();
    await page.getByRole('radiogroup', { name: 'Propriété' }).getByText('Vos certifications').click();
    await page.getByRole('row', { name: /RNCP35419/ }).waitFor();
    await screenshot(page, 'network-01-certifications');
    await page.getByRole('link', { name: 'RNCP35419' }).click();
    await page.getByText('Piloter la démarche qualité').click();
    await page.getByText('Conduire un audit interne.', { exact: false }).waitFor();
    await page.getByText('Aucun partenaire n’est habilité sur cette certification.').waitFor();
    await screenshot(page, 'network-02-certification');
  });

  await t.test('the partner is onboarded: its organisation is created', async () => {
    await page.getByRole('link', { name: 'Réseau de partenaires' }).click();
    await page.getByRole('link', { name: 'Nouvel organisme' }).click();
    await page.getByLabel(/^SIRET/).fill(partner.siret);
    await page.getByLabel(/^Raison sociale/).fill(partner.name);
    await page.getByLabel(/^Code postal/).fill(partner.postalCode);
    await page.getByLabel(/^Ville/).fill(partner.city);
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.getByRole('heading', { name: partner.name }).waitFor();
    organisationUrl = page.url();
    for (const tab of [
      'Fiche',
      'Habilitations',
      'Conventions',
      'Preuves',
      'Constats',
      'Sanctions',
      'Chronologie',
    ])
      await page.getByRole('tab', { name: tab }).waitFor();
  });

  await t.test('its contacts and sites are recorded on the partner page', async () => {
    await page.getByRole('button', { name: 'Ajouter un contact' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Nom et prénom/).fill('Inès Garnier');
    await dialog.getByLabel(/^Fonction/).fill('Responsable qualité');
    await dialog.getByLabel(/^E-mail/).fill('ines.garnier@formasud.example');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Contacts' })
      .getByRole('row', { name: /Inès Garnier.*Responsable qualité/ })
      .waitFor();
    await page.getByRole('button', { name: 'Ajouter un site' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Nom du site/).fill('Site de Montpellier');
    // A postal code of four digits: the server names the field, nothing is saved.
    await dialog.getByLabel(/^Code postal/).fill('3400');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.getByText('a French postal code has 5 digits').waitFor();
    await dialog.getByLabel(/^Code postal/).fill('34070');
    await dialog.getByLabel(/^Ville/).fill('Montpellier');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Sites de formation et d’examen' })
      .getByRole('row', { name: /Site de Montpellier.*34070 Montpellier/ })
      .waitFor();
  });

  await t.test('an application for a habilitation is recorded from the partner page', async () => {
    await page.getByRole('tab', { name: 'Habilitations' }).click();
    await page.getByText('Aucune habilitation pour cet organisme.').waitFor();
    await page.getByRole('link', { name: 'Nouvelle habilitation' }).click();
    await page.getByRole('heading', { name: 'Nouvelle habilitation' }).waitFor();
    assert.equal(await page.getByLabel('Organisme partenaire').inputValue(), partner.name);
    // Nothing chosen yet: the browser names the missing certification and sends nothing.
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.getByText('Champ obligatoire.').first().waitFor();
    await page.getByRole('combobox', { name: /^Certification/ }).fill('35419');
    await page.getByRole('option', { name: /RNCP35419/ }).click();
    await page.getByLabel('Certains blocs seulement').check();
    await page.getByLabel(/RNCP35419BC01/).check();
    await page.getByLabel(/^Territoire/).fill('Occitanie — site de Montpellier');
    // The sites it applies to: those recorded on the partner page.
    await page.getByRole('combobox', { name: /^Sites où elle s’applique/ }).click();
    await page.getByRole('option', { name: 'Site de Montpellier — Montpellier' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel(/^Durée minimale \(heures\)/).fill('140');
    await page.getByLabel(/^Effectif maximal par groupe/).fill('16');
    await page.getByLabel(/^Part minimale en présentiel/).fill('50');
    await page.getByLabel(/^Motif de la demande/).fill('Dossier de demande reçu le jour même, complet.');
    await screenshot(page, 'network-03-habilitation-form');
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.getByText('La demande d’habilitation a été enregistrée.').waitFor();
    await page.getByRole('heading', { name: `${partner.name} · RNCP35419` }).waitFor();
    habilitationUrl = page.url();
    assert.match(new URL(habilitationUrl).pathname, /^\/habilitations\/[0-9a-f-]{36}$/);
    await page.getByText('Occitanie — site de Montpellier').waitFor();
    await page.getByText('Site de Montpellier', { exact: true }).waitFor();
    await page.getByText('140 h').waitFor();
    await page.getByText('16 personnes').waitFor();
    await page.getByText('50 %').waitFor();
    await page.getByText('Dossier de demande reçu le jour même, complet.').waitFor();
  });

  await t.test('the review starts; activation is refused without a signed convention', async () => {
    await decide('Passer en instruction', 'Dossier complet, instruction par la responsable qualité.');
    await page.getByText('Décision enregistrée : En instruction.').waitFor();
    await page.getByRole('button', { name: 'Activer', exact: true }).click();
    const dialog = page.getByRole('dialog');
    // Reasons are required: the browser says so before sending.
    await dialog.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await dialog.getByText('Indiquez les motifs de la décision.').waitFor();
    await dialog.getByLabel(/^Motifs de la décision/).fill('Avis favorable de la commission.');
    const answer = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/decisions'),
    );
    await dialog.getByRole('button', { name: 'Enregistrer la décision' }).click();
    assert.equal((await answer).status(), 409);
    await dialog.getByText('Décision refusée').waitFor();
    await dialog.getByText(/pas de convention signée en vigueur/).waitFor();
    await screenshot(page, 'network-04-activation-refused');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
  });

  await t.test('its convention is created, signed with the signed PDF, and the PDF comes back', async () => {
    await page.goto(`${organisationUrl}?tab=conventions`);
    await page.getByText('Aucune convention pour cet organisme.').waitFor();
    await page.getByRole('button', { name: 'Nouvelle convention' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Référence/).fill(conventionRef);
    await dialog.getByRole('combobox', { name: /^Certifications couvertes/ }).click();
    await page.getByRole('option', { name: /RNCP35419/ }).click();
    await dialog.getByLabel(/^Redevance par candidat/).fill('douze');
    await dialog.getByRole('button', { name: 'Créer', exact: true }).click();
    await dialog.getByText('Montant en euros attendu', { exact: false }).waitFor();
    await dialog.getByLabel(/^Redevance par candidat/).fill('150');
    await dialog.getByLabel(/^Redevance annuelle/).fill('1 200');
    await dialog.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.getByRole('heading', { name: conventionRef }).waitFor();
    await page.getByText('Brouillon').first().waitFor();
    await page.getByText('150,00 €').waitFor();

    await page.getByRole('button', { name: 'Enregistrer la signature' }).click();
    const sign = page.getByRole('dialog');
    await sign.locator('input[type="file"]').setInputFiles({
      name: 'convention-formasud-signee.pdf',
      mimeType: 'application/pdf',
      buffer: signedPdf,
    });
    await sign.getByRole('button', { name: 'Enregistrer la signature' }).click();
    await page.getByText(`La signature de la convention ${conventionRef} est enregistrée.`).waitFor();
    await page.getByText('Signée', { exact: true }).first().waitFor();
    const row = page.getByRole('row', { name: /convention-formasud-signee\.pdf/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /convention signée/);
    const href = await row.getByRole('link', { name: 'Télécharger' }).getAttribute('href');
    const download = await page.request.get(new URL(href ?? '', server.baseUrl).href);
    assert.equal(download.status(), 200);
    assert.deepEqual(Buffer.from(await download.body()), signedPdf);
    await screenshot(page, 'network-05-convention-signed');
  });

  await t.test('the habilitation becomes active, then is suspended with its reasons', async () => {
    await page.goto(habilitationUrl);
    await decide('Activer', 'Convention signée, avis favorable de la commission.');
    await page.getByText('Décision enregistrée : Active.').waitFor();
    const dialog = await decide(
      'Suspendre',
      'Constat majeur : feuilles d’émargement absentes lors du contrôle du 12 mai.',
    );
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Décision enregistrée : Suspendue.').waitFor();
    await page
      .getByText('Constat majeur : feuilles d’émargement absentes lors du contrôle du 12 mai.')
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Suspendre', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Retirer', exact: true }).waitFor();
    await screenshot(page, 'network-06-habilitation-suspended');
  });

  await t.test('the habilitation list filters by status', async () => {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Habilitations' })
      .click();
    await page.getByRole('combobox', { name: /^Statut/ }).click();
    await page.getByRole('option', { name: 'Suspendue' }).click();
    await page.getByRole('row', { name: /Formasud.*RNCP35419.*Suspendue/ }).waitFor();
    await screenshot(page, 'network-07-habilitation-list');
    await page.getByRole('combobox', { name: /^Statut/ }).click();
    await page.getByRole('option', { name: 'Active', exact: true }).click();
    await page.getByText('Aucune habilitation ne correspond à ces critères.').waitFor();
  });

  await t.test(
    'the network list filters by habilitation, region and Qualiopi, kept in the address',
    async () => {
      await page.getByRole('link', { name: 'Réseau de partenaires' }).click();
      await page.getByRole('row', { name: /Formasud/ }).waitFor();
      const pick = async (label, option) => {
        await page.getByRole('combobox', { name: label, exact: true }).click();
        await page.getByRole('option', { name: option, exact: true }).click();
      };
      await pick('Habilitation', 'Suspendue');
      await pick('Région', 'Occitanie');
      const row = page.getByRole('row', { name: /Formasud/ });
      await row.waitFor();
      assert.match(
        (await row.textContent()) ?? '',
        /Montpellier.*Occitanie.*0 en vigueur sur 1.*1 suspendue/,
      );
      const address = new URL(page.url());
      assert.equal(address.searchParams.get('habilitation'), 'suspended');
      assert.equal(address.searchParams.get('region'), '76');
      await screenshot(page, 'network-08-network-list-filtered');
      // The filters survive a reload: they are the page's address.
      await page.reload();
      await page.getByRole('row', { name: /Formasud/ }).waitFor();
      assert.equal(
        await page.getByRole('combobox', { name: 'Région', exact: true }).inputValue(),
        'Occitanie',
      );
      // The export keeps them: one partner in the file.
      const exported = await page.request.get(
        new URL(`/api/network/export${address.search}&format=csv`, server.baseUrl).href,
      );
      assert.equal(exported.status(), 200);
      const lines = (await exported.text()).trim().split('\r\n');
      assert.equal(lines.length, 2);
      assert.match(lines[1] ?? '', /73282932000074;Formasud;/);
      await pick('Qualiopi', 'Certifié');
      await page.getByText('Aucun organisme ne correspond à ces critères.').waitFor();
      await page.getByRole('button', { name: 'Effacer les filtres' }).click();
      await page.getByRole('row', { name: /Formasud/ }).waitFor();
      assert.equal(new URL(page.url()).search, '');
    },
  );

  await t.test('a partner list is checked row by row before anything is imported', async () => {
    await page.getByRole('link', { name: 'Réseau de partenaires' }).click();
    await page.getByRole('link', { name: 'Importer une liste' }).click();
    await page.getByRole('heading', { name: 'Importer une liste de partenaires' }).waitFor();
    const template = await page
      .getByRole('link', { name: 'Télécharger le modèle (XLSX)' })
      .getAttribute('href');
    const downloaded = await page.request.get(new URL(template ?? '', server.baseUrl).href);
    assert.equal(downloaded.status(), 200);
    assert.equal((await downloaded.body()).subarray(0, 2).toString(), 'PK');
    const csv = [
      'SIRET;Raison sociale;Code postal;Ville',
      '443 061 841 00047;Autre Formation Nord;59000;Lille',
      '12345678901234;Organisme au SIRET faux;69003;Lyon',
    ].join('\r\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'partenaires.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.getByText('Le fichier ne peut pas être importé').waitFor();
    const bad = page.getByRole('row', { name: /^3\b/ });
    assert.match((await bad.textContent()) ?? '', /SIRET.*Luhn/);
    assert.match((await page.getByRole('row', { name: /^2\b/ }).textContent()) ?? '', /Nouvel organisme/);
    assert.equal(await page.getByRole('button', { name: /^Importer/ }).count(), 0);
    await screenshot(page, 'network-09-import-dry-run');
    // Nothing was written: the second organisation is not in the network.
    const listed = await apiCall(page, 'GET', '/api/network?q=Autre%20Formation');
    assert.equal(listed.body.total, 0);
  });

  await t.test('the partner page tells the whole story in its timeline', async () => {
    await page.goto(`${organisationUrl}?tab=timeline`);
    const timeline = page.getByLabel('Chronologie du partenaire');
    await timeline.waitFor();
    for (const line of [
      'Organisme ajouté au réseau',
      'Demande d’habilitation enregistrée',
      'Convention créée',
      'Convention signée',
      'Fichier de preuve déposé',
    ])
      await timeline.getByText(line, { exact: true }).first().waitFor();
    assert.equal(await timeline.getByText('Décision d’habilitation', { exact: true }).count(), 3);
    // Newest first: the suspension and its reasons head the timeline.
    assert.match(
      (await timeline.locator('.mantine-Timeline-item').first().textContent()) ?? '',
      /Suspendue.*feuilles d’émargement/,
    );
    // The habilitation's steps, with their author, from the one timeline query.
    const items = timeline.locator('.mantine-Timeline-item');
    const texts = await items.allTextContents();
    const at = (pattern) => texts.findIndex((text) => pattern.test(text));
    const order = {
      suspended: at(/Décision d’habilitation.*Suspendue.*feuilles d’émargement/),
      activated: at(/Décision d’habilitation.*Active.*Convention signée, avis favorable/),
      signed: at(/Convention signée\s*CONV-2026-014/),
      applied: at(/Demande d’habilitation enregistrée/),
      contact: at(/Contact ajouté/),
      onboarded: at(/Organisme ajouté au réseau/),
    };
    assert.equal(order.suspended, 0, JSON.stringify(texts));
    assert.ok(
      order.suspended < order.activated &&
        order.activated < order.signed &&
        order.signed < order.applied &&
        order.applied < order.contact &&
        order.contact < order.onboarded,
      JSON.stringify({ order, texts }),
    );
    assert.match(texts[0] ?? '', new RegExp(admin.name));
    await screenshot(page, 'network-10-partner-timeline');
    // The audit log, filtered on this organisation, from the timeline's link.
    await page.getByRole('link', { name: 'Voir le journal d’audit de cet organisme' }).click();
    await page.getByRole('heading', { name: 'Journal d’audit', exact: true }).waitFor();
    assert.equal(
      await page.getByRole('combobox', { name: 'Organisme', exact: true }).inputValue(),
      `${partner.name} · 732 829 320 00074`,
    );
    await page
      .getByRole('row', { name: /Décision d’habilitation|habilitation\.decide/ })
      .first()
      .waitFor();
    assert.equal(await page.getByRole('row', { name: /user\.create|Création de compte/ }).count(), 0);
    await page.goto(`${organisationUrl}?tab=timeline`);
    await page.getByRole('tab', { name: 'Preuves' }).click();
    await page.getByRole('row', { name: /convention-formasud-signee\.pdf/ }).waitFor();
    await page.getByRole('tab', { name: 'Habilitations' }).click();
    await page.getByRole('row', { name: /RNCP35419.*Suspendue/ }).waitFor();
    await screenshot(page, 'network-11-partner-habilitations');
  });

  await t.test('the suspension shows on the declarations page and is marked declared', async () => {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Déclarations France Compétences' })
      .click();
    await page.getByRole('heading', { name: 'Déclarations à France Compétences' }).waitFor();
    const suspension = page.getByRole('row', { name: /À déclarer.*Formasud.*RNCP35419.*Suspension/ });
    await suspension.waitFor();
    assert.match((await suspension.textContent()) ?? '', /Active → Suspendue/);
    await page.getByRole('row', { name: /Formasud.*RNCP35419.*Ajout à la liste/ }).waitFor();
    // The list to file, as France Compétences expects it: the pair is now suspended.
    const csv = await page.request.get(
      new URL('/api/declarations/partners/export?format=csv&pendingOnly=true', server.baseUrl).href,
    );
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /73282932000074;.*Suspendu/);
    await screenshot(page, 'network-11a-declarations-to-file');

    await page.getByRole('checkbox', { name: 'Tout sélectionner sur cette page' }).check();
    await page.getByRole('button', { name: 'Marquer 2 changements comme déclarés' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Référence du dépôt/).fill('FC-2026-0042');
    await dialog.locator('input[type="file"]').setInputFiles({
      name: 'accuse-france-competences.pdf',
      mimeType: 'application/pdf',
      buffer: signedPdf,
    });
    await dialog.getByRole('button', { name: 'Enregistrer la déclaration' }).click();
    await page.getByText('2 changements marqués comme déclarés.').waitFor();
    await page
      .getByText('Rien à déclarer : tous les changements ont été déclarés à France Compétences.')
      .waitFor();
    await page.getByRole('button', { name: /^Déclarés : 2/ }).click();
    const declared = page.getByRole('row', { name: /Déclaré.*Formasud.*Suspension.*réf\. FC-2026-0042/ });
    await declared.waitFor();
    const proof = await declared.getByRole('link', { name: 'Justificatif' }).getAttribute('href');
    const download = await page.request.get(new URL(proof ?? '', server.baseUrl).href);
    assert.deepEqual(Buffer.from(await download.body()), signedPdf);
    await screenshot(page, 'network-11b-declarations-declared');
  });

  await t.test('a partner user reaches its own page but not another partner’s', async () => {
    const organisationId = new URL(organisationUrl).pathname.split('/').pop();
    const other = await apiCall(page, 'POST', '/api/organisations', otherPartner);
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const invited = await apiCall(page, 'POST', '/api/users', {
      email: partnerUser.email,
      displayName: partnerUser.name,
      role: 'partner',
      organisationId,
      locale: 'fr',
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
    const partnerPage = await context.newPage();
    partnerPage.setDefaultTimeout(15_000);
    watchProblems(partnerPage, 'partner');
    try {
      await partnerPage.goto(invited.body.setupLink);
      await partnerPage.getByLabel('Adresse e-mail').fill(partnerUser.email);
      await partnerPage.getByLabel('Nom et prénom').fill(partnerUser.name);
      await partnerPage.getByLabel(/^Mot de passe/).fill(partnerUser.password);
      await partnerPage.getByLabel(/^Confirmer le mot de passe/).fill(partnerUser.password);
      await partnerPage.getByRole('button', { name: 'Activer mon compte' }).click();
      await partnerPage.getByRole('heading', { name: `Bonjour ${partnerUser.name}` }).waitFor();

      await partnerPage.goto(`${organisationUrl}?tab=habilitations`);
      await partnerPage.getByRole('row', { name: /RNCP35419.*Suspendue/ }).waitFor();
      assert.equal(await partnerPage.getByRole('link', { name: 'Nouvelle habilitation' }).count(), 0);
      await partnerPage.getByRole('tab', { name: 'Chronologie' }).click();
      await partnerPage.getByText('Ce qui est arrivé à votre organisme', { exact: false }).waitFor();
      await partnerPage
        .getByText('Constat majeur : feuilles d’émargement', { exact: false })
        .first()
        .waitFor();
      await screenshot(partnerPage, 'network-12-partner-own-timeline');

      const api = await partnerPage.request.get(
        new URL(`/api/organisations/${other.body.id}`, server.baseUrl).href,
      );
      assert.equal(api.status(), 404);
      await partnerPage.goto(new URL(`/organisations/${other.body.id}`, server.baseUrl).href);
      await partnerPage.getByRole('heading', { name: 'Organisme introuvable' }).waitFor();
      assert.equal(await partnerPage.getByText(otherPartner.legalName).count(), 0);
      await screenshot(partnerPage, 'network-13-other-partner-not-found');
    } finally {
      await context.close();
    }
  });

  await t.test('the browser reported no error besides the refusals the scenario asked for', () => {
    // 401: the session check before signing in; 400: the site's four-digit postal code; 409: the refused
    // activation; 404: the other partner's page.
    const unexpected = browserProblems.filter((p) => !/status of (400|401|404|409)\b/.test(p));
    assert.deepEqual(unexpected, []);
  });
});
