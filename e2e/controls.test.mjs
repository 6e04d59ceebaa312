// Controls in a real browser against the built server. A partner's convention ends soon with nothing to
// renew it: the automated rule `convention.expiring` finds it (run through the API, as the nightly job
// does). The quality manager qualifies the finding and requests a corrective action; the partner, signed in
// to its portal, answers with a plan and evidence, then reports it done; the auditor checks its
// effectiveness and closes the finding. Another partner: an on-site audit filled in on a phone-sized
// screen raises a major finding, two more follow, a suspension is made final; new major findings lead the
// quality manager to a withdrawal, which lands on the habilitation and the France Compétences list.
// Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const admin = {
  email: 'claire.bernard@certif.example',
  name: 'Claire Bernard',
  password: 'Reseau-Habilite-2026',
};
const quality = { email: 'marc.petit@certif.example', name: 'Marc Petit', password: 'Qualite-Reseau-2026' };
const auditor = { email: 'lea.martin@certif.example', name: 'Léa Martin', password: 'Audit-Terrain-2026' };
const partnerA = {
  email: 'hugo.leroy@formasud.example',
  name: 'Hugo Leroy',
  password: 'Partenaire-Sud-2026',
};
const partnerB = {
  email: 'anne.roux@nordforma.example',
  name: 'Anne Roux',
  password: 'Partenaire-Nord-2026',
};

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const typed = (iso) => iso.split('-').reverse().join('/');
const pdf = (title) =>
  Buffer.from(
    `%PDF-1.4\n% ${title}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );

let server;
let browser;
const problems = [];
const ids = {};

/** A JSON call from a signed-in page, with its CSRF token (as the app itself sends it). */
async function apiCall(target, method, path, body) {
  return target.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/auth/session')).json();
      const response = await fetch(path, {
        method,
        headers: {
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}

async function ok(target, method, path, body, status = [200, 201]) {
  const res = await apiCall(target, method, path, body);
  assert.ok(status.includes(res.status), `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function watch(page, label) {
  // The app asks for the session before anyone signs in (401): expected. Any other refusal is a problem.
  page.on('response', (r) => {
    if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/auth/session')))
      problems.push(`${label}: ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`${label} page error: ${e.message}`));
}

async function signIn(user, viewport = { width: 1440, height: 900 }, { watchErrors = true } = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (watchErrors) watch(page, user.email);
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByRole('button', { name: 'Se connecter' }).waitFor({ state: 'detached' });
  return page;
}

async function step(page, button, fill) {
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('controls: the finding loop closes, and repeated major findings end in a withdrawal', {
  timeout: 300_000,
}, async (t) => {
  let adminPage;
  let qmPage;
  let findingUrl;

  await t.test(
    'the network is set up through the API: two partners, habilitated under signed conventions',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
      adminPage = await context.newPage();
      adminPage.setDefaultTimeout(15_000);
      watch(adminPage, 'admin');
      await adminPage.goto(server.setupLink);
      await adminPage.getByLabel('Adresse e-mail').fill(admin.email);
      await adminPage.getByLabel('Nom et prénom').fill(admin.name);
      await adminPage.getByLabel(/^Mot de passe/).fill(admin.password);
      await adminPage.getByLabel(/^Confirmer le mot de passe/).fill(admin.password);
      await adminPage.getByRole('button', { name: 'Créer le compte administrateur' }).click();
      await adminPage.getByRole('heading', { name: `Bonjour ${admin.name}` }).waitFor();

      const certification = await ok(adminPage, 'POST', '/api/certifications', {
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
            competences: 'Conduire un audit.',
            assessmentRules: 'Dossier.',
          },
        ],
      });
      ids.certification = certification.id;
      for (const [key, siret, legalName, endsOn] of [
        ['a', '73282932000074', 'Formasud', day(40)],
        ['b', '44306184100047', 'Nordforma', '2029-12-31'],
      ]) {
        const organisation = await ok(adminPage, 'POST', '/api/organisations', {
          siret,
          legalName,
          city: key === 'a' ? 'Montpellier' : 'Lille',
          postalCode: key === 'a' ? '34000' : '59000',
          qualiopiStatus: 'certified',
        });
        ids[key] = organisation.id;
        const convention = await ok(adminPage, 'POST', '/api/conventions', {
          organisationId: organisation.id,
          reference: `CONV-2025-${key.toUpperCase()}`,
          certificationIds: [certification.id],
          startsOn: '2025-01-01',
          endsOn,
        });
        await ok(adminPage, 'POST', `/api/conventions/${convention.id}/signature`, {
          signedOn: '2024-12-15',
        });
        const habilitation = await ok(adminPage, 'POST', '/api/habilitations', {
          organisationId: organisation.id,
          certificationId: certification.id,
          scope: 'both',
          startsOn: '2025-01-01',
          endsOn: '2029-12-31',
        });
        ids[`habilitation_${key}`] = habilitation.id;
        for (const toStatus of ['review', 'active'])
          await ok(adminPage, 'POST', `/api/habilitations/${habilitation.id}/decisions`, {
            toStatus,
            reasons: 'Dossier complet, convention signée',
          });
      }
      for (const [user, role, organisationId] of [
        [quality, 'quality_manager', null],
        [auditor, 'auditor', null],
        [partnerA, 'partner', ids.a],
        [partnerB, 'partner', ids.b],
      ])
        await ok(adminPage, 'POST', '/api/users', {
          email: user.email,
          displayName: user.name,
          role,
          organisationId,
          password: user.password,
        });
    },
  );

  await t.test('assessment results over the year: one partner passes every candidate', async () => {
    // Formasud: 30 of 60 candidates passed, Nordforma: 40 of 40; the network's 70 % puts both outside
    // the 99.8 % limits, one below and one above.
    const blockId = (await ok(adminPage, 'GET', `/api/certifications/${ids.certification}`)).skillBlocks[0]
      .id;
    for (const [key, count, passed] of [
      ['a', 60, 30],
      ['b', 40, 40],
    ]) {
      const candidateIds = [];
      for (let i = 0; i < count; i++) {
        const letters = String(i)
          .split('')
          .map((d) => 'abcdefghij'[Number(d)])
          .join('');
        const candidate = await ok(adminPage, 'POST', '/api/candidates', {
          organisationId: ids[key],
          birthName: `Candidat-${key}${letters}`,
          firstNames: 'Camille',
          sex: 'F',
          birthDate: '1995-06-14',
          birthPlaceCode: '69123',
          accessRoute: 'continuing_training',
        });
        candidateIds.push(candidate.id);
      }
      const session = await ok(adminPage, 'POST', '/api/assessment-sessions', {
        certificationId: ids.certification,
        organiserId: ids[key],
        startsAt: `${day(-10)}T09:00:00+02:00`,
        candidateIds,
      });
      await ok(adminPage, 'POST', `/api/assessment-sessions/${session.id}/results`, {
        results: candidateIds.map((candidateId, i) => ({
          candidateId,
          skillBlockId: blockId,
          decision: i < passed ? 'passed' : 'failed',
        })),
      });
    }
  });

  await t.test(
    'the rule finds the convention that expires without renewal; the quality manager qualifies it and asks the partner',
    async () => {
      qmPage = await signIn(quality);
      const run = await ok(qmPage, 'POST', '/api/control-rules/run', { ruleId: 'convention.expiring' });
      assert.equal(run.findings.opened, 1, JSON.stringify(run));
      await qmPage
        .getByRole('navigation', { name: 'Navigation principale' })
        .getByRole('link', { name: 'Constats et actions correctives' })
        .click();
      await qmPage.getByRole('heading', { name: 'Constats et actions correctives' }).waitFor();
      await qmPage.getByRole('link', { name: /Formasud : convention CONV-2025-A à renouveler/ }).click();
      await qmPage.getByText('Contrôle automatique convention.expiring').waitFor();
      findingUrl = qmPage.url();

      await step(qmPage, 'Qualifier', async (dialog) => {
        await dialog.getByRole('combobox', { name: 'Gravité' }).click();
        await qmPage.getByRole('option', { name: 'Majeur' }).click();
        await dialog
          .getByLabel(/^Cause racine/)
          .fill('Aucun suivi des échéances de conventions chez le partenaire.');
      });
      await qmPage
        .getByText('Aucun suivi des échéances de conventions chez le partenaire.')
        .first()
        .waitFor();
      await step(qmPage, 'Demander une action corrective', async (dialog) => {
        await dialog
          .getByLabel(/^Ce qui est attendu du partenaire/)
          .fill('Transmettre le projet de convention renouvelée et désigner un responsable des échéances.');
        await dialog.getByLabel(/^Échéance/).fill(typed(day(20)));
      });
      await qmPage.getByText('Action demandée', { exact: true }).first().waitFor();
      await screenshot(qmPage, 'controls-01-finding-requested');
    },
  );

  await t.test(
    'the partner answers in its portal with a plan and evidence; another partner cannot see it',
    async () => {
      const page = await signIn(partnerA);
      await page
        .getByRole('navigation', { name: 'Navigation principale' })
        .getByRole('link', { name: 'Constats et actions correctives' })
        .click();
      await page.getByRole('link', { name: /convention CONV-2025-A à renouveler/ }).click();
      await page
        .getByText('Transmettre le projet de convention renouvelée', { exact: false })
        .first()
        .waitFor();
      await step(page, 'Proposer un plan d’action', async (dialog) => {
        await dialog
          .getByLabel(/^Action corrective/)
          .fill('Renouvellement de la convention et tableau de suivi des échéances tenu par la direction.');
        await dialog.getByLabel('Responsable chez le partenaire').fill('Direction');
        await dialog.getByLabel(/^Réalisée au plus tard le/).fill(typed(day(15)));
        await dialog
          .locator('input[type="file"]')
          .setInputFiles({ name: 'plan-action.pdf', mimeType: 'application/pdf', buffer: pdf('plan') });
      });
      await page.getByRole('link', { name: 'plan-action.pdf' }).waitFor();
      await step(page, 'Déclarer l’action réalisée', async (dialog) => {
        await dialog
          .getByLabel(/^Ce qui a été fait/)
          .fill('Projet de convention transmis, tableau de suivi en place.');
        await dialog.locator('input[type="file"]').setInputFiles({
          name: 'tableau-echeances.pdf',
          mimeType: 'application/pdf',
          buffer: pdf('suivi'),
        });
      });
      await page.getByRole('link', { name: 'tableau-echeances.pdf' }).waitFor();
      await page.getByText('Réalisée', { exact: true }).first().waitFor();
      await screenshot(page, 'controls-02-partner-answer');

      // Its page answers "not found": the browser logs the 404, which is expected here.
      const other = await signIn(partnerB, undefined, { watchErrors: false });
      const findingId = findingUrl.split('/').pop();
      const hidden = await apiCall(other, 'GET', `/api/findings/${findingId}`);
      assert.equal(hidden.status, 404);
      await other.goto(findingUrl);
      await other.getByRole('alert').waitFor();
      await other.context().close();
    },
  );

  await t.test(
    'the auditor checks the effectiveness and closes the finding; every step is in the history',
    async () => {
      const page = await signIn(auditor);
      await page.goto(findingUrl);
      await step(page, 'Vérifier l’efficacité', async (dialog) => {
        await dialog
          .getByLabel(/^Constat de vérification/)
          .fill('Convention renouvelée reçue ; tableau de suivi vérifié.');
      });
      await page.getByText('Vérifié', { exact: true }).first().waitFor();
      await step(page, 'Clore', async () => {});
      await page.getByText('Clos', { exact: true }).first().waitFor();
      const findingId = findingUrl.split('/').pop();
      const detail = await ok(page, 'GET', `/api/findings/${findingId}`);
      assert.deepEqual(
        detail.timeline
          .map((e) => e.status)
          .filter((s) =>
            ['open', 'qualified', 'action_requested', 'action_submitted', 'verified', 'closed'].includes(s),
          ),
        ['open', 'qualified', 'action_requested', 'action_submitted', 'verified', 'closed'],
      );
      await screenshot(page, 'controls-03-finding-closed');
    },
  );

  await t.test(
    'on a phone, the auditor fills in an on-site audit of the other partner; a major result raises a finding',
    async () => {
      const phone = await signIn(auditor, { width: 390, height: 844 });
      const templates = await ok(phone, 'GET', '/api/checklist-templates?kind=on_site');
      const control = await ok(phone, 'POST', '/api/controls', {
        kind: 'on_site',
        title: 'Visite de Nordforma',
        organisationId: ids.b,
        plannedOn: day(0),
        checklistTemplateId: templates.items[0].id,
      });
      await phone.goto(`${server.baseUrl}/controls/${control.id}`);
      await phone.getByText('0 / 7 points renseignés').waitFor();
      const first = phone.getByRole('region', { name: /^SITE-01/ });
      await first.getByRole('radio', { name: 'Conforme' }).click();
      await first.getByText('Enregistré').waitFor();
      const third = phone.getByRole('region', { name: /^SITE-03/ });
      await third.getByRole('radio', { name: 'Écart majeur' }).click();
      await third
        .getByLabel(/^Constat de l’auditeur/)
        .fill('18 apprenants pour un formateur, la convention en autorise 12.');
      await third.getByLabel(/^Constat de l’auditeur/).blur();
      await third.getByRole('link', { name: 'Constat ouvert' }).waitFor();
      await phone.getByText('2 / 7 points renseignés').waitFor();
      // Nothing wider than the phone: the form is usable without scrolling sideways.
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the audit sheet is ${width}px wide on a 390px screen`);
      await screenshot(phone, 'controls-04-audit-on-phone');
      const sheet = await ok(phone, 'GET', `/api/controls/${control.id}/sheet`);
      ids.auditFinding = sheet.items[2].findingId;
      assert.ok(ids.auditFinding);
      await phone.context().close();
    },
  );

  await t.test(
    'repeated major findings: a suspension is made final, then the quality manager withdraws the habilitation',
    async () => {
      const findings = [ids.auditFinding];
      for (const title of ['Identité des candidats non vérifiée', 'Sujets d’examen diffusés avant l’épreuve'])
        findings.push(
          (await ok(qmPage, 'POST', '/api/findings', { organisationId: ids.b, title, severity: 'major' })).id,
        );
      const suspension = await ok(qmPage, 'POST', '/api/sanctions', {
        organisationId: ids.b,
        level: 'suspension',
        reasons: 'Trois constats majeurs sur les sessions d’examen.',
        conventionClause: 'Article 12 — Sanctions',
        decidedOn: day(-30),
        replyDueOn: day(-15),
        findingIds: findings,
      });
      await ok(qmPage, 'PATCH', `/api/sanctions/${suspension.id}`, { status: 'notified' });
      await ok(qmPage, 'PATCH', `/api/sanctions/${suspension.id}`, { status: 'final' });
      const repeat = (
        await ok(qmPage, 'POST', '/api/findings', {
          organisationId: ids.b,
          title: 'Session d’examen tenue pendant la suspension',
          severity: 'major',
        })
      ).id;

      await qmPage.goto(`${server.baseUrl}/findings/${repeat}`);
      await qmPage.getByRole('link', { name: 'Proposer une sanction' }).click();
      const dialog = qmPage.getByRole('dialog');
      await dialog.getByText('Niveau suggéré : Retrait d’habilitation').waitFor();
      await dialog.getByText(/déjà sanctionné \(Suspension/).waitFor();
      await dialog
        .getByLabel(/^Motifs/)
        .fill(
          'Nouveaux constats majeurs après la suspension : le partenaire ne respecte pas ses engagements.',
        );
      await dialog.getByLabel(/^Clause de la convention appliquée/).fill('Article 12.3 — Retrait');
      await dialog.getByLabel(/^Date de la décision/).fill(typed(day(-20)));
      await dialog.getByLabel(/^Réponse attendue avant le/).fill(typed(day(-1)));
      await screenshot(qmPage, 'controls-05-propose-withdrawal');
      await dialog.getByRole('button', { name: 'Proposer' }).click();
      await qmPage.getByRole('heading', { name: /Retrait d’habilitation — Nordforma/ }).waitFor();
      await qmPage.getByRole('button', { name: 'Notifier au partenaire' }).click();
      await qmPage.getByRole('button', { name: 'Rendre définitive' }).click();
      await qmPage.getByText(/Appliquée aux habilitations le/).waitFor();
      await screenshot(qmPage, 'controls-06-withdrawal-final');

      const habilitation = await ok(qmPage, 'GET', `/api/habilitations/${ids.habilitation_b}`);
      assert.equal(habilitation.status, 'withdrawn');
      assert.match(habilitation.decisions.at(-1).reasons, /Sanction \(withdrawal\).*Article 12\.3/);
      const changes = await ok(qmPage, 'GET', '/api/declarations/changes?limit=100');
      assert.ok(
        changes.items.some((c) => c.habilitationId === ids.habilitation_b && c.toStatus === 'withdrawn'),
        'the withdrawal is on the France Compétences declaration list',
      );
      // The partner sees the sanction, final, in its portal.
      const page = await signIn(partnerB);
      await page.goto(`${server.baseUrl}/sanctions`);
      await page.getByRole('row', { name: /Retrait d’habilitation/ }).waitFor();
    },
  );

  await t.test('the dashboard shows the network’s findings and plan', async () => {
    await qmPage.goto(server.baseUrl);
    await qmPage.getByRole('heading', { name: 'Qualité du réseau' }).waitFor();
    await qmPage.getByRole('table', { name: 'Constats en cours par gravité et ancienneté' }).waitFor();
    await qmPage.getByRole('img', { name: /Taux de réussite par partenaire.*RNCP35419/ }).waitFor();
    await qmPage.getByText(/Hors limites : .*Nordforma \(40\/40\)/).waitFor();
    await qmPage.getByRole('img', { name: /Taux de réussite par partenaire/ }).scrollIntoViewIfNeeded();
    await screenshot(qmPage, 'controls-07-dashboard');
    assert.deepEqual(problems, []);
  });
});
