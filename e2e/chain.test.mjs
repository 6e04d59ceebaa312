// The certification chain in a real browser against the built server. Set up through the API: a
// certification with two skill blocks, a partner habilitated to train and evaluate (signed convention), a
// partner user and an evaluator. Then through the UI: the partner declares a training session and its
// candidates by uploading a CSV (first refused with per-row errors, then checked and imported); the
// certifier declares the assessment session (API) and the evaluator records results per block; the
// certifier marks the session held, enters the CDC identifiers in the certifier settings, convenes a jury
// that deliberates on each candidate, signs the minutes (PDF), issues the certificates, and downloads the
// accrochage file, which validates against the XSD; the deadline dashboard then shows them sent.
// Edit screens on the way: the partner corrects a candidate, the certifier changes the evaluators, moves the
// planned assessment session (refused once held, the reason in French) and changes the jury's date, place and
// composition; once certified, the partner may no longer change the identity and the certifier
// corrects it with a reason (audited). Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, root, screenshot, startServer } from './harness.mjs';

const admin = { email: 'ines.garnier@certif.example', name: 'Inès Garnier', password: 'Chaine-Certif-2026' };
const partnerUser = { email: 'lea.roux@formest.example', name: 'Léa Roux', password: 'Partenaire-Est-2026' };
const evaluatorUser = {
  email: 'paul.meyer@certif.example',
  name: 'Paul Meyer',
  password: 'Evaluateur-2026!',
};
const certification = {
  code: 'RNCP37001',
  title: 'Technicien de maintenance des systèmes connectés',
  level: '4',
  isOwned: true,
  registeredOn: '2024-01-15',
  skillBlocks: [
    { code: 'RNCP37001BC01', title: 'Diagnostiquer une panne' },
    { code: 'RNCP37001BC02', title: 'Remettre en service une installation' },
  ],
};

const HEADER =
  'reference_session;code_certification;blocs;date_debut;date_fin;heures;modalite;lieu;formateurs;financement;nom_naissance;nom_usage;prenoms;sexe;date_naissance;lieu_naissance;email;voie_acces;date_inscription';
const session = 'RNCP37001;;05/01/2026;27/03/2026;350;presentiel;Metz;Anne Petit;cpf';
const goodCsv = [
  HEADER,
  `FE-2026-01;${session};Lambert;;Camille Marie;F;14/06/1995;57463;camille.lambert@example.org;formation_continue;01/12/2025`,
  `FE-2026-01;${session};Nguyen;;Hugo;M;02/03/1990;99243;hugo.nguyen@example.org;formation_continue;01/12/2025`,
].join('\n');
// The same file with a bad modality on line 2 and an impossible birth date on line 3.
const badCsv = goodCsv
  .replace(';presentiel;Metz;Anne Petit;cpf;Lambert', ';en ligne;Metz;Anne Petit;cpf;Lambert')
  .replace('02/03/1990', '31/02/1990');

let server;
let browser;
let page;
const browserProblems = [];

function watchProblems(target, label) {
  target.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      browserProblems.push(`${label} console: ${message.text()}`);
  });
  target.on('pageerror', (error) => browserProblems.push(`${label} page error: ${error.message}`));
}

/** A JSON call from a signed-in page, with its CSRF token (as the app itself would send it). */
async function apiCall(target, method, url, body) {
  return target.evaluate(
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

/** A new browser context signed in through the account's setup link. */
async function activate(link, user, label) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  const target = await context.newPage();
  target.setDefaultTimeout(15_000);
  watchProblems(target, label);
  await target.goto(link);
  await target.getByLabel('Adresse e-mail').fill(user.email);
  await target.getByLabel('Nom et prénom').fill(user.name);
  await target.getByLabel(/^Mot de passe/).fill(user.password);
  await target.getByLabel(/^Confirmer le mot de passe/).fill(user.password);
  await target.getByRole('button', { name: 'Activer mon compte' }).click();
  await target.getByRole('heading', { name: `Bonjour ${user.name}` }).waitFor();
  return target;
}

const nav = (target, name) =>
  target.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name, exact: true });

async function pick(target, label, option) {
  await target.getByRole('combobox', { name: label }).click();
  await target.getByRole('option', { name: option, exact: true }).click();
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watchProblems(page, 'admin');
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('the chain: training by upload, results, jury, certificates, accrochage', {
  timeout: 300_000,
}, async (t) => {
  let partnerPage;
  let evaluatorPage;
  let certificationId;
  let organisationId;
  let assessmentId;

  await t.test('set-up: certification, habilitated partner, partner user and evaluator', async () => {
    await page.goto(server.setupLink);
    await page.getByLabel('Adresse e-mail').fill(admin.email);
    await page.getByLabel('Nom et prénom').fill(admin.name);
    await page.getByLabel(/^Mot de passe/).fill(admin.password);
    await page.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
    await page.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();
    for (const area of ['Sessions et candidats', 'Jurys', 'Certificats', 'Accrochage CDC'])
      assert.doesNotMatch((await nav(page, area).textContent()) ?? '', /Bientôt/);

    certificationId = ok(await apiCall(page, 'POST', '/api/certifications', certification)).id;
    organisationId = ok(
      await apiCall(page, 'POST', '/api/organisations', { siret: '73282932000074', legalName: 'Formest' }),
    ).id;
    const habilitation = ok(
      await apiCall(page, 'POST', '/api/habilitations', {
        organisationId,
        certificationId,
        scope: 'both',
        startsOn: '2025-01-01',
      }),
    );
    ok(
      await apiCall(page, 'POST', `/api/habilitations/${habilitation.id}/decisions`, {
        toStatus: 'review',
        reasons: 'Dossier complet.',
      }),
    );
    const convention = ok(
      await apiCall(page, 'POST', '/api/conventions', {
        organisationId,
        reference: 'CONV-2025-003',
        certificationIds: [certificationId],
        startsOn: '2025-01-01',
      }),
    );
    ok(
      await apiCall(page, 'POST', `/api/conventions/${convention.id}/signature`, { signedOn: '2025-01-02' }),
    );
    ok(
      await apiCall(page, 'POST', `/api/habilitations/${habilitation.id}/decisions`, {
        toStatus: 'active',
        reasons: 'Convention signée, habilitation accordée.',
      }),
    );
    const partnerInvite = ok(
      await apiCall(page, 'POST', '/api/users', {
        email: partnerUser.email,
        displayName: partnerUser.name,
        role: 'partner',
        organisationId,
        locale: 'fr',
      }),
    );
    const evaluatorInvite = ok(
      await apiCall(page, 'POST', '/api/users', {
        email: evaluatorUser.email,
        displayName: evaluatorUser.name,
        role: 'evaluator',
        locale: 'fr',
      }),
    );
    partnerPage = await activate(partnerInvite.setupLink, partnerUser, 'partner');
    evaluatorPage = await activate(evaluatorInvite.setupLink, evaluatorUser, 'evaluator');
  });

  await t.test(
    'the partner declares its session and candidates by upload: errors first, then imported',
    async () => {
      await nav(partnerPage, 'Sessions et candidats').click();
      await partnerPage.getByRole('heading', { name: 'Sessions et candidats' }).waitFor();
      assert.equal(await nav(partnerPage, 'Jurys').count(), 0, 'a partner has no jury menu');
      await partnerPage.getByRole('link', { name: 'Déclarer par fichier' }).click();
      await partnerPage.getByRole('heading', { name: 'Déclarer par fichier' }).waitFor();
      const template = await partnerPage.getByRole('link', { name: 'Modèle CSV' }).getAttribute('href');
      const templateRes = await partnerPage.request.get(new URL(template, server.baseUrl).href);
      assert.equal(templateRes.status(), 200);
      assert.match(await templateRes.text(), /reference_session;code_certification/);

      const input = partnerPage.locator('input[type="file"]');
      await input.setInputFiles({ name: 'sessions.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv) });
      await partnerPage.getByRole('button', { name: 'Vérifier (sans enregistrer)' }).click();
      const errors = partnerPage.getByTestId('upload-errors');
      await errors.waitFor();
      await errors.getByRole('row', { name: /2\s*modalite/ }).waitFor();
      await errors.getByRole('row', { name: /3\s*date_naissance/ }).waitFor();
      await partnerPage.getByText('rien n’a été enregistré', { exact: false }).first().waitFor();
      await screenshot(partnerPage, 'chain-01-upload-errors');

      await input.setInputFiles({ name: 'sessions.csv', mimeType: 'text/csv', buffer: Buffer.from(goodCsv) });
      await partnerPage.getByRole('button', { name: 'Vérifier (sans enregistrer)' }).click();
      await partnerPage.getByText('Fichier valide : rien n’a encore été enregistré.').waitFor();
      await partnerPage.getByRole('button', { name: 'Importer', exact: true }).click();
      await partnerPage.getByText('1 session créée').waitFor();
      await screenshot(partnerPage, 'chain-02-upload-imported');
      await partnerPage.getByRole('link', { name: 'Session n° 1' }).click();
      await partnerPage.getByRole('heading', { name: 'FE-2026-01' }).waitFor();
      await partnerPage.getByText('2 candidats inscrits').waitFor();
      await partnerPage.getByRole('row', { name: /Camille Marie LAMBERT/ }).waitFor();
      await partnerPage.getByRole('row', { name: /Hugo NGUYEN/ }).waitFor();
      await screenshot(partnerPage, 'chain-03-training-session');
    },
  );

  await t.test('the partner corrects a candidate with the same form and checks', async () => {
    const row = partnerPage.getByTestId('enrolments').getByRole('row', { name: /Hugo NGUYEN/ });
    await row.getByRole('button', { name: 'Modifier' }).click();
    const dialog = partnerPage.getByRole('dialog', { name: /Modifier le candidat Hugo Nguyen/ });
    // Prefilled: born abroad with the INSEE country code from the file.
    assert.equal(await dialog.getByLabel(/^Code INSEE du pays de naissance/).inputValue(), '99243');
    await dialog.getByLabel(/^Code INSEE du pays de naissance/).fill('');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    // Refused as at creation: the place of birth is required; the field says so and nothing changed.
    await dialog.locator('input[aria-invalid="true"]').first().waitFor();
    // The server's reason is shown in the UI's language under the field, not as the API wrote it.
    await dialog.getByText('Indiquez la commune de naissance', { exact: false }).first().waitFor();
    await dialog.getByLabel(/^Code INSEE du pays de naissance/).fill('99243');
    await dialog.getByLabel(/^Nom d’usage/).fill('Tran');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await partnerPage
      .getByTestId('enrolments')
      .getByRole('row', { name: /Hugo NGUYEN \(Tran\)/ })
      .waitFor();
    await screenshot(partnerPage, 'chain-03b-candidate-edited');
  });

  await t.test('the evaluator records the results per block', async () => {
    const trainings = ok(
      await apiCall(page, 'GET', `/api/training-sessions?certificationId=${certificationId}`),
    );
    const detail = ok(await apiCall(page, 'GET', `/api/training-sessions/${trainings.items[0].id}`));
    const users = ok(await apiCall(page, 'GET', '/api/users?limit=200'));
    const evaluatorId = users.items.find((u) => u.email === evaluatorUser.email).id;
    assessmentId = ok(
      await apiCall(page, 'POST', '/api/assessment-sessions', {
        certificationId,
        organiserId: organisationId,
        startsAt: '2026-04-14T09:00:00+02:00',
        place: 'Metz, salle B',
        candidateIds: detail.enrolments.map((e) => e.candidateId),
        evaluatorIds: [evaluatorId],
      }),
    ).id;

    await nav(evaluatorPage, 'Sessions et candidats').click();
    await evaluatorPage.getByRole('heading', { name: 'Sessions et candidats' }).waitFor();
    assert.equal(await evaluatorPage.getByRole('tab', { name: 'Sessions de formation' }).count(), 0);
    await evaluatorPage.getByRole('link', { name: /14 avr\. 2026/ }).click();
    await evaluatorPage.getByRole('heading', { name: /Évaluation du 14 avr\. 2026/ }).waitFor();
    for (const block of ['RNCP37001BC01', 'RNCP37001BC02']) {
      await pick(evaluatorPage, 'Bloc ou épreuve', new RegExp(block));
      for (const [name, score] of [
        ['Camille Marie LAMBERT', '15,5'],
        ['Hugo NGUYEN', '12'],
      ]) {
        await evaluatorPage.getByRole('combobox', { name: `Résultat de ${name}` }).click();
        await evaluatorPage.getByRole('option', { name: 'Admis', exact: true }).click();
        await evaluatorPage.getByLabel(`Note de ${name}`).fill(score);
      }
      // The notice of the first block may still show when the second is saved: wait for this save's answer.
      await Promise.all([
        evaluatorPage.waitForResponse(
          (r) => r.url().endsWith('/results') && r.request().method() === 'POST' && r.ok(),
        ),
        evaluatorPage.getByRole('button', { name: 'Enregistrer 2 résultats' }).click(),
      ]);
      await evaluatorPage.getByText('2 résultats enregistrés.').first().waitFor();
    }
    const grid = evaluatorPage.getByTestId('results-grid');
    await grid
      .getByRole('row', { name: /Camille Marie LAMBERT.*Admis.*15,5 \/ 20.*Admis.*15,5 \/ 20/ })
      .waitFor();
    await screenshot(evaluatorPage, 'chain-04-results');
  });

  await t.test('the certifier changes the evaluators with the declaration form’s picker', async () => {
    await page.goto(`${server.baseUrl}/sessions/assessments/${assessmentId}`);
    // The evaluators are changed with the picker of the declaration form: removed, then named again.
    await page.getByTestId('edit-evaluators').click();
    const evaluators = page.getByRole('dialog', { name: 'Modifier les évaluateurs' });
    await evaluators.getByText(evaluatorUser.name, { exact: false }).first().waitFor();
    await evaluators.getByTestId('evaluators').press('Backspace');
    // The picker's list stays open over the buttons: clicking the title closes it, not the dialog.
    await evaluators.getByText('Modifier les évaluateurs', { exact: true }).click();
    await evaluators.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Évaluateurs enregistrés').first().waitFor();
    await page.getByTestId('edit-evaluators').click();
    await evaluators.getByTestId('evaluators').click();
    await page.getByRole('option', { name: new RegExp(evaluatorUser.name) }).click();
    await evaluators.getByText('Modifier les évaluateurs', { exact: true }).click();
    await evaluators.getByRole('button', { name: 'Enregistrer' }).click();
    await evaluators.waitFor({ state: 'hidden' });
    const log = ok(
      await apiCall(page, 'GET', `/api/audit-log?entityType=assessment_session&entityId=${assessmentId}`),
    );
    assert.deepEqual(
      log.items.slice(0, 2).map((e) => [e.action, e.after.userIds.length]),
      [
        ['assessment_session.set_evaluators', 1],
        ['assessment_session.set_evaluators', 0],
      ],
    );
  });

  await t.test('the certifier moves the planned session, and is refused once it is held', async () => {
    // Date, place and modality with the inputs of the declaration form, while the session is planned.
    await page.getByTestId('edit-schedule').click();
    const schedule = page.getByRole('dialog', { name: 'Date, lieu et modalité de la session' });
    assert.equal(await schedule.getByLabel(/^Lieu/).inputValue(), 'Metz, salle B');
    await schedule.getByLabel(/^Heure/).fill('14:00');
    await schedule.getByLabel(/^Lieu/).fill('Metz, salle C');
    await pick(page, 'Modalité', 'Mixte');
    await schedule.getByRole('button', { name: 'Enregistrer' }).click();
    await schedule.waitFor({ state: 'hidden' });
    await page.getByText('Metz, salle C', { exact: true }).first().waitFor();
    await page.getByText('Mixte', { exact: true }).first().waitFor();
    const moved = ok(await apiCall(page, 'GET', `/api/assessment-sessions/${assessmentId}`));
    assert.equal(moved.place, 'Metz, salle C');
    assert.equal(moved.modality, 'blended');
    assert.equal(new Date(moved.startsAt).getHours(), 14, 'the time entered, in the browser’s time zone');
    assert.equal(moved.startsAt.slice(0, 10), '2026-04-14', 'the day is kept');

    // A page left open while someone marks the session held: the server refuses and says why, in French.
    await page.getByTestId('edit-schedule').click();
    ok(await apiCall(page, 'PATCH', `/api/assessment-sessions/${assessmentId}`, { status: 'held' }));
    await schedule.getByLabel(/^Lieu/).fill('Metz, salle D');
    await schedule.getByRole('button', { name: 'Enregistrer' }).click();
    await schedule.getByText('La session a déjà eu lieu : elle ne peut plus changer.').first().waitFor();
    await screenshot(page, 'chain-04b-session-move-refused');
    await schedule.getByRole('button', { name: 'Annuler' }).click();
    await page.reload();
    await page.getByText('Tenue', { exact: true }).first().waitFor();
    assert.equal(await page.getByTestId('edit-schedule').count(), 0, 'no longer offered once held');
    const kept = ok(await apiCall(page, 'GET', `/api/assessment-sessions/${assessmentId}`));
    assert.equal(kept.place, 'Metz, salle C');
  });

  await t.test('the certifier enters the CDC identifiers', async () => {
    await nav(page, 'Accrochage CDC').click();
    await page.getByText('Renseignez l’idClient et l’idContrat', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Modifier les paramètres' }).click();
    await page.getByRole('heading', { name: 'Paramètres du certificateur' }).waitFor();
    await page.getByLabel('idClient', { exact: true }).fill('03VML24');
    await page.getByLabel('idContrat', { exact: true }).fill('MCFCER000209');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByText('L’idClient donné par la CDC compte 8 caractères', { exact: false })
      .first()
      .waitFor();
    await page.getByLabel('idClient', { exact: true }).fill('03VML243');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Paramètres enregistrés.').waitFor();
  });

  await t.test('the jury deliberates, the president signs the minutes, certificates are issued', async () => {
    await nav(page, 'Jurys').click();
    await page.getByRole('button', { name: 'Convoquer un jury' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /^Certification/ }).fill('37001');
    await page.getByRole('option', { name: /RNCP37001/ }).click();
    await dialog.getByLabel(/^Date du jury/).fill('19/04/2026');
    await dialog.getByLabel(/^Lieu/).fill('Siège, Metz');
    const names = dialog.getByPlaceholder('Nom et prénom');
    await names.nth(0).fill('Martine Lefort');
    await names.nth(1).fill('Jacques Oudin');
    await dialog.getByRole('button', { name: 'Convoquer', exact: true }).click();
    await page.getByRole('heading', { name: /Jury du 19 avr\. 2026/ }).waitFor();

    // Date and place change with the inputs used to convene, while the minutes are not signed.
    await page.getByTestId('edit-schedule').click();
    const schedule = page.getByRole('dialog', { name: 'Date et lieu du jury' });
    assert.equal(await schedule.getByLabel(/^Lieu/).inputValue(), 'Siège, Metz');
    await schedule.getByLabel(/^Date du jury/).fill('20/04/2026');
    await schedule.getByLabel(/^Lieu/).fill('Siège, Nancy');
    await schedule.getByRole('button', { name: 'Enregistrer' }).click();
    await schedule.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: /Jury du 20 avr\. 2026/ }).waitFor();
    await page.getByText('Siège, Nancy', { exact: true }).first().waitFor();

    // The composition is changed with the editor used to convene: a name corrected, a member added.
    await page.getByTestId('edit-members').click();
    const composition = page.getByRole('dialog', { name: 'Composition du jury' });
    const members = composition.getByPlaceholder('Nom et prénom');
    assert.equal(await members.nth(1).inputValue(), 'Jacques Oudin');
    await members.nth(1).fill('Jacques Oudinot');
    await composition.getByRole('button', { name: 'Ajouter un membre' }).click();
    await members.nth(2).fill('Sophie Marchal');
    await composition.getByRole('button', { name: 'Enregistrer' }).click();
    await composition.waitFor({ state: 'hidden' });
    await page.getByText('Jacques Oudinot', { exact: true }).waitFor();
    await page.getByText('Sophie Marchal', { exact: true }).waitFor();

    const table = page.getByTestId('jury-candidates');
    for (const name of ['Camille Marie LAMBERT', 'Hugo NGUYEN']) {
      const row = table.getByRole('row', { name: new RegExp(name) });
      await row.getByText('RNCP37001BC02').waitFor();
      await row.getByRole('button', { name: 'Délibérer' }).click();
      const decide = page.getByRole('dialog');
      await decide.getByRole('combobox', { name: /^Décision/ }).click();
      await page.getByRole('option', { name: 'Certifié', exact: true }).click();
      await decide.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await row.getByText('Certifié', { exact: true }).waitFor();
    }
    await screenshot(page, 'chain-05-jury');
    await page.getByRole('button', { name: 'Clore les délibérations' }).click();
    await page.getByText('Délibérations closes.').waitFor();
    await page.getByRole('button', { name: 'Faire signer le PV par Martine Lefort' }).click();
    await page.getByText('Procès-verbal signé et conservé.').waitFor();
    assert.equal(
      await page.getByTestId('edit-schedule').count(),
      0,
      'signed minutes: the jury no longer moves',
    );
    const juryId = new URL(page.url()).pathname.split('/').pop();
    const late = await apiCall(page, 'PATCH', `/api/juries/${juryId}`, { place: 'Ailleurs' });
    assert.equal(late.status, 409);
    const minutes = await page.getByTestId('minutes-pdf').getAttribute('href');
    const pdf = await page.request.get(new URL(minutes, server.baseUrl).href);
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

    for (const name of ['Camille Marie LAMBERT', 'Hugo NGUYEN']) {
      const row = table.getByRole('row', { name: new RegExp(name) });
      await row.getByRole('button', { name: 'Délivrer le certificat' }).click();
      await row.getByText('À transmettre').waitFor();
    }
    await screenshot(page, 'chain-06-certificates-issued');
    await nav(page, 'Certificats').click();
    await page.getByRole('row', { name: /Camille Marie Lambert.*RNCP37001.*À transmettre/ }).waitFor();
  });

  await t.test('the certifier downloads an accrochage file that validates against the XSD', async () => {
    await nav(page, 'Accrochage CDC').click();
    await page.getByText('2 titulaires prêts à transmettre', { exact: false }).waitFor();
    await page
      .getByTestId('deadlines')
      .getByRole('row', { name: /Hugo Nguyen.*RNCP37001.*À transmettre/ })
      .waitFor();
    await screenshot(page, 'chain-07-accrochage-before');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('accrochage-export').click(),
    ]);
    const file = await download.path();
    const xml = await readFile(file, 'utf8');
    assert.match(xml, /<cpf:idClient>03VML243<\/cpf:idClient>/);
    assert.match(xml, /<cpf:code>RNCP37001<\/cpf:code>/);
    assert.equal((xml.match(/<cpf:passageCertification>/g) ?? []).length, 2);
    const { validateAccrochageXml } = await import(
      path.join(root, 'dist', 'exporters', 'accrochage', 'index.js')
    );
    const validation = await validateAccrochageXml(xml);
    assert.equal(validation.valid, true, JSON.stringify(validation.errors));
    await page.getByText('2 titulaires transmis, fichier valide.', { exact: false }).waitFor();
    await page.getByText('Aucun titulaire à transmettre.').waitFor();
    await page
      .getByTestId('deadlines')
      .getByRole('row', { name: /Hugo Nguyen.*Transmis/ })
      .waitFor();
    await screenshot(page, 'chain-08-accrochage-after');
  });

  await t.test('the partner sees its own session and certificates, not the juries', async () => {
    await partnerPage.goto(`${server.baseUrl}/sessions`);
    await partnerPage
      .getByTestId('training-sessions')
      .getByRole('row', { name: /FE-2026-01/ })
      .waitFor();
    await nav(partnerPage, 'Certificats').click();
    await partnerPage.getByRole('row', { name: /Hugo Nguyen.*Transmis/ }).waitFor();
    await partnerPage.goto(`${server.baseUrl}/juries`);
    await partnerPage.getByText('Accès non autorisé', { exact: false }).first().waitFor();
  });

  await t.test(
    'a certified identity: the partner may not change it, the certifier corrects it with a reason',
    async () => {
      const trainings = ok(
        await apiCall(page, 'GET', `/api/training-sessions?certificationId=${certificationId}`),
      );
      await partnerPage.goto(`${server.baseUrl}/sessions/training/${trainings.items[0].id}`);
      const row = partnerPage.getByTestId('enrolments').getByRole('row', { name: /Camille Marie LAMBERT/ });
      await row.getByRole('button', { name: 'Modifier' }).click();
      const refused = partnerPage.getByRole('dialog', { name: /Modifier le candidat/ });
      await refused.getByLabel(/^Nom d’usage/).fill('Roy');
      await refused.getByRole('button', { name: 'Enregistrer' }).click();
      await refused
        .getByTestId('identity-certified')
        .getByText('seul le certificateur', { exact: false })
        .waitFor();
      await screenshot(partnerPage, 'chain-09-identity-certified');
      await refused.getByRole('button', { name: 'Annuler' }).click();

      await nav(page, 'Jurys').click();
      await page.getByRole('link', { name: /20 avr\. 2026/ }).click();
      const juryRow = page.getByTestId('jury-candidates').getByRole('row', { name: /Camille Marie LAMBERT/ });
      await juryRow.getByRole('button', { name: 'Modifier' }).click();
      const correct = page.getByRole('dialog', { name: /Modifier le candidat/ });
      await correct.getByLabel(/^Nom d’usage/).fill('Roy');
      await correct.getByRole('button', { name: 'Enregistrer' }).click();
      // Under the field, in French, from the server's reason (with the certificate's number).
      await correct.locator('textarea[aria-invalid="true"]').waitFor();
      await correct
        .locator('.mantine-Textarea-error')
        .getByText('indiquez le motif de la correction', { exact: false })
        .waitFor();
      await correct
        .getByLabel(/^Motif de la correction/)
        .fill('Nom d’usage figurant sur la pièce d’identité');
      await correct.getByRole('button', { name: 'Enregistrer' }).click();
      await correct.waitFor({ state: 'hidden' });
      await page
        .getByTestId('jury-candidates')
        .getByRole('row', { name: /Camille Marie LAMBERT \(Roy\)/ })
        .waitFor();
      const candidateId = ok(await apiCall(page, 'GET', '/api/candidates?q=Lambert')).items[0].id;
      const log = ok(
        await apiCall(page, 'GET', `/api/audit-log?entityType=candidate&entityId=${candidateId}`),
      );
      assert.equal(log.items[0].action, 'candidate.correct_certified_identity');
      assert.equal(log.items[0].after.correction.reason, 'Nom d’usage figurant sur la pièce d’identité');
      await screenshot(page, 'chain-10-identity-corrected');
    },
  );

  await t.test('possible duplicates across partners, and what the public check shows', async () => {
    // The same person applying alone (no partner): the certifier sees the pair in « Doublons possibles ».
    ok(
      await apiCall(page, 'POST', '/api/candidates', {
        organisationId: null,
        birthName: 'Nguyen',
        firstNames: 'Hugo',
        sex: 'M',
        birthDate: '1990-03-02',
        birthCountryCode: '99243',
        accessRoute: 'individual_application',
      }),
    );
    await page.goto(`${server.baseUrl}/sessions?tab=duplicates`);
    const duplicates = page.getByTestId('candidate-duplicates');
    await duplicates.getByText('2 fiches').waitFor();
    await duplicates.getByRole('row', { name: /Candidat libre/ }).waitFor();
    await screenshot(page, 'chain-11-duplicates');
    await nav(partnerPage, 'Sessions et candidats').click();
    assert.equal(await partnerPage.getByRole('tab', { name: 'Doublons possibles' }).count(), 0);

    // The public check: initials until the holder agrees to show the full name.
    const certificate = ok(await apiCall(page, 'GET', '/api/certificates')).items.find((c) =>
      c.holderName.startsWith('Hugo'),
    );
    const verifyUrl = `${server.baseUrl}/verify/${certificate.verificationCode}`;
    const visitor = await browser.newPage();
    watchProblems(visitor, 'visitor');
    await visitor.goto(verifyUrl);
    // Initials of the name in use (the usage name Tran the partner set earlier).
    await visitor.getByRole('cell', { name: 'H. T.' }).waitFor();
    await nav(page, 'Certificats').click();
    await page.getByTestId(`disclosure-${certificate.number}`).click();
    const disclosure = page.getByRole('dialog', { name: /Vérification publique du certificat/ });
    await disclosure.getByText('Nom complet (avec son accord)').click();
    await disclosure.getByRole('button', { name: 'Enregistrer' }).click();
    await disclosure.getByText('Indiquez comment le titulaire a donné son accord.').waitFor();
    await disclosure.getByLabel(/^Accord du titulaire/).fill('Courriel du titulaire du 21/04/2026');
    await disclosure.getByRole('button', { name: 'Enregistrer' }).click();
    await disclosure.waitFor({ state: 'hidden' });
    await visitor.reload();
    await visitor.getByRole('cell', { name: 'Hugo Nguyen (Tran)' }).waitFor();
    await screenshot(visitor, 'chain-12-verify-full-name');
    await visitor.close();
  });

  assert.deepEqual(browserProblems, []);
});
