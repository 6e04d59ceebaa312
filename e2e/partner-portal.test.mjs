// The partner portal in a real browser against the built server, without any mail server: the admin
// invites a person of a partner organisation from its page, and the invitation is read from the server's
// outbox (one .eml per message); the person opens the link, chooses a password and lands on its portal home
// (organisation, habilitations, conventions, findings, requests); it answers the certifier's request with a
// text and a file; the certifier accepts the answer. The partner cannot reach another partner's organisation
// or request ("introuvable", API 404), and a used link gets a clear page. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, readOutbox, screenshot, startServer } from './harness.mjs';

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
const partner = { siret: '73282932000074', legalName: 'Formasud', city: 'Montpellier' };
const otherPartner = { siret: '44306184100047', legalName: 'Autre Formation Nord' };
const certification = {
  code: 'RNCP35419',
  title: 'Responsable de la qualité en formation professionnelle',
  level: '6',
  isOwned: true,
  registeredOn: '2024-03-01',
  endsOn: '2029-03-01',
  skillBlocks: [{ code: 'RNCP35419BC01', title: 'Piloter la démarche qualité' }],
};
const requestTitle = 'Feuilles d’émargement de mars';
const attendancePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

let server;
let browser;
let page;
const browserProblems = [];

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

test('partner portal: invitation by e-mail link, portal home, answer to a request', {
  timeout: 240_000,
}, async (t) => {
  let organisationId;
  let otherId;
  let otherRequestId;
  let habilitationId;
  let conventionId;
  let requestUrl;
  let invitationLink;
  const partnerContext = () =>
    browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  let partnerCtx;
  let partnerPage;

  await t.test(
    'the administrator signs in; the partners, their habilitation and convention exist',
    async () => {
      await page.goto(server.setupLink);
      await page.getByLabel('Adresse e-mail').fill(admin.email);
      await page.getByLabel('Nom et prénom').fill(admin.name);
      await page.getByLabel(/^Mot de passe/).fill(admin.password);
      await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
      await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
      await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();

      const org = await apiCall(page, 'POST', '/api/organisations', partner);
      assert.equal(org.status, 201, JSON.stringify(org.body));
      organisationId = org.body.id;
      const other = await apiCall(page, 'POST', '/api/organisations', otherPartner);
      assert.equal(other.status, 201, JSON.stringify(other.body));
      otherId = other.body.id;
      const cert = await apiCall(page, 'POST', '/api/certifications', certification);
      assert.equal(cert.status, 201, JSON.stringify(cert.body));
      const hab = await apiCall(page, 'POST', '/api/habilitations', {
        organisationId,
        certificationId: cert.body.id,
        scope: 'both',
        territory: 'Occitanie',
        startsOn: '2026-01-01',
        reasons: 'Dossier complet',
      });
      assert.equal(hab.status, 201, JSON.stringify(hab.body));
      habilitationId = hab.body.id;
      const conv = await apiCall(page, 'POST', '/api/conventions', {
        organisationId,
        reference: 'CONV-2026-021',
        certificationIds: [cert.body.id],
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
      });
      assert.equal(conv.status, 201, JSON.stringify(conv.body));
      conventionId = conv.body.id;
      const forOther = await apiCall(page, 'POST', '/api/requests', {
        organisationId: otherId,
        title: 'Demande confidentielle',
        body: 'Pour un autre partenaire.',
        dueOn: '2099-01-01',
      });
      assert.equal(forOther.status, 201, JSON.stringify(forOther.body));
      otherRequestId = forOther.body.id;
    },
  );

  await t.test(
    'the admin invites a person of Formasud from its page; the mail is in the outbox',
    async () => {
      await page.goto(new URL(`/organisations/${organisationId}`, server.baseUrl).href);
      await page.getByRole('heading', { name: partner.legalName }).waitFor();
      await page.getByRole('tab', { name: 'Comptes' }).click();
      await page.getByText('Aucune invitation.').waitFor();
      await page.getByRole('button', { name: 'Inviter une personne' }).click();
      const dialog = page.getByRole('dialog');
      // Nothing typed: the browser names the missing fields and sends nothing.
      await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await dialog.getByText('Adresse e-mail invalide.').first().waitFor();
      await dialog.getByLabel(/^Adresse e-mail/).fill(partnerUser.email);
      await dialog.getByLabel(/^Nom et prénom/).fill(partnerUser.name);
      await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await dialog
        .getByText(`le message pour ${partnerUser.email} a été déposé dans la boîte d’envoi`, {
          exact: false,
        })
        .waitFor();
      await screenshot(page, 'portal-01-invitation-sent');
      await dialog.getByRole('button', { name: 'Fermer' }).click();
      await page.getByRole('row', { name: new RegExp(`${partnerUser.name}.*En attente`) }).waitFor();

      const [mail] = await readOutbox(server.dataDir, { to: partnerUser.email });
      assert.ok(mail, 'a message to the invited person is in the outbox');
      assert.match(mail.text, /Pour activer votre compte, ouvrez ce lien et choisissez votre mot de passe/);
      assert.match(mail.text, /espace partenaire .* pour Formasud/);
      invitationLink = mail.link;
      assert.match(invitationLink, /\/setup\?token=[A-Za-z0-9_-]{40,}$/);
    },
  );

  await t.test('the admin asks Formasud for documents, from its page', async () => {
    await page.getByRole('tab', { name: 'Demandes' }).click();
    await page.getByText('Aucune demande adressée à cet organisme.').waitFor();
    await page.getByRole('button', { name: 'Nouvelle demande' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Objet/).fill(requestTitle);
    await dialog
      .getByLabel(/^Ce qui est demandé/)
      .fill('Merci de déposer les feuilles signées de la session du 12 mars.');
    await dialog.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('heading', { name: requestTitle }).waitFor();
    requestUrl = page.url();
    await page.getByText('Ouverte', { exact: true }).first().waitFor();
  });

  await t.test('the person opens the link, chooses a password and lands on its portal home', async () => {
    partnerCtx = await partnerContext();
    partnerPage = await partnerCtx.newPage();
    partnerPage.setDefaultTimeout(15_000);
    watchProblems(partnerPage, 'partner');
    await partnerPage.goto(invitationLink);
    await partnerPage.getByRole('heading', { name: 'Activer votre compte' }).waitFor();
    await partnerPage.getByText(`Invitation de ${admin.name} pour Formasud`, { exact: false }).waitFor();
    assert.equal(await partnerPage.getByLabel('Adresse e-mail').inputValue(), partnerUser.email);
    await partnerPage.getByLabel(/^Mot de passe/).fill('trop-court');
    await partnerPage.getByLabel(/^Confirmer le mot de passe/).fill('trop-court');
    await partnerPage.getByRole('button', { name: 'Activer mon compte' }).click();
    await partnerPage.getByText('12 caractères', { exact: false }).first().waitFor();
    await partnerPage.getByLabel(/^Mot de passe/).fill(partnerUser.password);
    await partnerPage.getByLabel(/^Confirmer le mot de passe/).fill(partnerUser.password);
    await partnerPage.getByRole('button', { name: 'Activer mon compte' }).click();
    await partnerPage.getByRole('heading', { name: `Bonjour ${partnerUser.name}` }).waitFor();
    await partnerPage.getByText('Espace partenaire de Formasud').waitFor();
    await partnerPage.getByRole('row', { name: /RNCP35419.*Demande/ }).waitFor();
    await partnerPage.getByRole('row', { name: /CONV-2026-021/ }).waitFor();
    await partnerPage.getByRole('row', { name: new RegExp(`${requestTitle}.*Ouverte`) }).waitFor();
    await partnerPage.getByText('Aucun constat ouvert.').waitFor();
    assert.equal(await partnerPage.getByText('Demande confidentielle').count(), 0);
    await screenshot(partnerPage, 'portal-02-partner-home');
  });

  await t.test('the partner answers the request with a text and a file', async () => {
    await partnerPage.getByRole('link', { name: requestTitle }).click();
    await partnerPage.getByRole('heading', { name: requestTitle }).waitFor();
    await partnerPage.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await partnerPage.getByText('Écrivez une réponse ou joignez au moins un fichier.').waitFor();
    await partnerPage.getByLabel('Votre réponse').fill('Voici les feuilles signées du 12 mars.');
    await partnerPage.locator('input[type="file"]').setInputFiles({
      name: 'emargement-12-mars.pdf',
      mimeType: 'application/pdf',
      buffer: attendancePdf,
    });
    await partnerPage.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await partnerPage.getByText('Votre réponse est envoyée au certificateur.').waitFor();
    await partnerPage.getByText('Répondue', { exact: true }).first().waitFor();
    const thread = partnerPage.getByLabel('Échanges');
    await thread.getByText('Réponse du partenaire').waitFor();
    const file = thread.getByRole('link', { name: 'emargement-12-mars.pdf' });
    await file.waitFor();
    const download = await partnerPage.request.get(
      new URL((await file.getAttribute('href')) ?? '', server.baseUrl).href,
    );
    assert.equal(download.status(), 200);
    assert.deepEqual(Buffer.from(await download.body()), attendancePdf);
    await screenshot(partnerPage, 'portal-03-request-answered');
  });

  await t.test(
    'a request about the convention shows on its screen, for the certifier and the partner',
    async () => {
      const conventionUrl = new URL(`/conventions/${conventionId}`, server.baseUrl).href;
      await page.goto(conventionUrl);
      await page.getByRole('heading', { name: 'CONV-2026-021' }).waitFor();
      await page.getByText('Aucune demande adressée au partenaire sur cette convention.').waitFor();
      await page.getByRole('button', { name: 'Nouvelle demande' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Objet/).fill('Annexe financière signée');
      await dialog.getByLabel(/^Ce qui est demandé/).fill('Merci de déposer l’annexe financière signée.');
      await dialog.getByRole('button', { name: 'Envoyer la demande' }).click();
      await page.getByRole('heading', { name: 'Annexe financière signée' }).waitFor();
      await page.goto(conventionUrl);
      await page.getByRole('row', { name: /Annexe financière signée.*Ouverte/ }).waitFor();
      assert.equal(await page.getByRole('row', { name: new RegExp(requestTitle) }).count(), 0);

      await partnerPage.goto(conventionUrl);
      await partnerPage.getByRole('row', { name: /Annexe financière signée.*Ouverte/ }).waitFor();
      await partnerPage.getByText('1 en attente du partenaire').waitFor();
      await screenshot(partnerPage, 'portal-03b-convention-requests');
      await partnerPage.goto(new URL(`/habilitations/${habilitationId}`, server.baseUrl).href);
      await partnerPage.getByText('Aucune demande adressée au partenaire sur cette habilitation.').waitFor();
    },
  );

  await t.test('the partner reaches nothing of another partner', async () => {
    for (const path of [`/api/organisations/${otherId}`, `/api/requests/${otherRequestId}`]) {
      const res = await partnerPage.request.get(new URL(path, server.baseUrl).href);
      assert.equal(res.status(), 404, path);
    }
    await partnerPage.goto(new URL(`/organisations/${otherId}`, server.baseUrl).href);
    await partnerPage.getByRole('heading', { name: 'Organisme introuvable' }).waitFor();
    assert.equal(await partnerPage.getByText(otherPartner.legalName).count(), 0);
    await partnerPage.goto(new URL(`/requests/${otherRequestId}`, server.baseUrl).href);
    await partnerPage.getByRole('heading', { name: 'Demande introuvable' }).waitFor();
    assert.equal(await partnerPage.getByText('Demande confidentielle').count(), 0);
    await screenshot(partnerPage, 'portal-04-other-partner-not-found');
  });

  await t.test('the certifier accepts the answer; the used link gets a clear page', async () => {
    await page.goto(requestUrl);
    await page.getByText('Répondue', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Examiner la réponse' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Accepter la réponse' }).click();
    await page.getByText('La réponse est acceptée.').waitFor();
    await page.getByText('Acceptée', { exact: true }).first().waitFor();
    await screenshot(page, 'portal-05-answer-accepted');

    const [answered] = await readOutbox(server.dataDir, { to: admin.email });
    assert.match(answered?.text ?? '', /Formasud a répondu à la demande/);

    const again = await partnerCtx.newPage();
    await again.goto(invitationLink);
    await again.getByText('Ce lien d’invitation a déjà servi', { exact: false }).waitFor();
    await screenshot(again, 'portal-06-used-link');
    await partnerCtx.close();
  });

  await t.test('the browser reported no error besides the refusals the scenario asked for', () => {
    // 401: the session check before signing in; 404: the other partner's organisation and request.
    const unexpected = browserProblems.filter((p) => !/status of (401|404)\b/.test(p));
    assert.deepEqual(unexpected, []);
  });
});
