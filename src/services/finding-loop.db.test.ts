import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { controlPlanter } from '../../test/factories.js';
import { type Actor, systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { createServices, type Services } from './index.js';
import { Scheduler } from './scheduler.js';

// The finding loop with the clock in the test's hands: qualification, request, the partner's plan and
// its completion, an ineffective action asked again, reminders day after day, escalation, closure.
describe('finding loop (FindingService)', () => {
  let handle: DatabaseHandle;
  let services: Services;
  let today = '2026-03-02';
  let quality: Actor;
  let partner: Actor;
  let otherPartner: Actor;
  let organisationId: string;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'habilis-finding-loop-'));

  const open = async () =>
    (
      await services.findings.create(quality, {
        organisationId,
        title: 'Feuilles d’émargement manquantes',
        severity: 'minor',
      })
    ).id;

  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(
      handle,
      { publicUrl: 'http://habilis.test', filesDir: path.join(dataDir, 'files'), dataDir },
      () => new Date(`${today}T10:00:00Z`),
    );
    const plant = controlPlanter(handle.db);
    organisationId = await plant.organisation({ legalName: 'Formasud' });
    const other = await plant.organisation({ legalName: 'Nordforma' });
    const qm = await plant.user({ displayName: 'Qualité', role: 'quality_manager' });
    const p = await plant.user({ displayName: 'Partenaire', organisationId });
    const o = await plant.user({ displayName: 'Autre', organisationId: other });
    quality = { kind: 'user', userId: qm, role: 'quality_manager', organisationId: null, label: 'Qualité' };
    partner = { kind: 'user', userId: p, role: 'partner', organisationId, label: 'Partenaire' };
    otherPartner = { kind: 'user', userId: o, role: 'partner', organisationId: other, label: 'Autre' };
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('qualifies, requests, takes the plan, asks again when not effective, then verifies and closes', async () => {
    const id = await open();
    const qualified = await services.findings.qualify(quality, id, {
      severity: 'major',
      rootCause: 'Aucun contrôle des émargements avant la clôture de session',
    });
    expect(qualified).toMatchObject({
      status: 'qualified',
      severity: 'major',
      qualifiedAt: expect.any(String),
    });

    await expect(
      services.findings.requestAction(quality, id, { dueOn: today, message: 'Plan attendu' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const requested = await services.findings.requestAction(quality, id, {
      dueOn: '2026-03-20',
      message: 'Présenter un plan d’action et les émargements de mars',
    });
    expect(requested).toMatchObject({ status: 'action_requested', actionDueOn: '2026-03-20' });

    // Another partner does not see it, and cannot answer it.
    await expect(
      services.findings.submitCorrectiveAction(otherPartner, id, { description: 'x', dueOn: '2026-04-01' }),
    ).rejects.toMatchObject({ code: 'not_found' });

    const submitted = await services.findings.submitCorrectiveAction(partner, id, {
      description: 'Contrôle des émargements par la coordinatrice chaque vendredi',
      ownerName: 'Coordinatrice pédagogique',
      dueOn: '2026-03-31',
    });
    const actionId = submitted.correctiveActions[0]?.id ?? '';
    expect(submitted.status).toBe('action_submitted');

    // The effectiveness is checked once the partner reports the action done.
    await expect(
      services.findings.checkEffectiveness(quality, id, actionId, { effective: true, note: 'ok' }),
    ).rejects.toThrow(/once the partner reports it done/);
    // Staff do not report for the partner, and the partner does not verify itself.
    await expect(
      services.findings.completeCorrectiveAction(quality, id, actionId, { note: 'fait' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await services.findings.completeCorrectiveAction(partner, id, actionId, { note: 'Contrôle en place' });
    await expect(
      services.findings.checkEffectiveness(partner, id, actionId, { effective: true, note: 'ok' }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    await expect(
      services.findings.checkEffectiveness(quality, id, actionId, {
        effective: false,
        note: 'Pas de preuve',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const again = await services.findings.checkEffectiveness(quality, id, actionId, {
      effective: false,
      note: 'Les émargements de mars restent incomplets',
      newDueOn: '2026-04-15',
    });
    expect(again).toMatchObject({
      status: 'action_requested',
      actionDueOn: '2026-04-15',
      correctiveActions: [{ status: 'rejected', effectiveness: 'ineffective' }],
    });

    const second = await services.findings.submitCorrectiveAction(partner, id, {
      description: 'Émargement électronique',
      dueOn: '2026-04-10',
    });
    const secondId = second.correctiveActions[1]?.id ?? '';
    await services.findings.completeCorrectiveAction(partner, id, secondId, { note: 'En service' });
    const verified = await services.findings.checkEffectiveness(quality, id, secondId, {
      effective: true,
      note: 'Émargements complets sur quatre semaines',
    });
    expect(verified.status).toBe('verified');
    // Illegal moves are refused with the reason.
    await expect(
      services.findings.qualify(quality, id, { severity: 'minor', rootCause: 'x' }),
    ).rejects.toThrow('a finding cannot go from verified to qualified (from verified: closed, open)');
    const closed = await services.findings.transition(quality, id, { to: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.timeline.map((e) => e.status).filter(Boolean)).toEqual([
      'open',
      'qualified',
      'action_requested',
      'proposed',
      'action_submitted',
      'done',
      'action_requested',
      'proposed',
      'action_submitted',
      'done',
      'verified',
      'closed',
    ]);
  });

  it('reminds the partner of a late request once a week, then escalates it', async () => {
    today = '2026-05-01';
    const id = await open();
    await services.findings.qualify(quality, id, { severity: 'minor', rootCause: 'Oubli' });
    await services.findings.requestAction(quality, id, { dueOn: '2026-05-10', message: 'Plan attendu' });

    today = '2026-05-10';
    expect((await services.findings.runReminders(quality)).items.map((i) => i.findingId)).not.toContain(id);
    today = '2026-05-11';
    const first = await services.findings.runReminders(quality);
    expect(first.items.find((i) => i.findingId === id)).toMatchObject({ kind: 'reminder', daysLate: 1 });
    // Run twice the same day: nothing more.
    expect((await services.findings.runReminders(quality)).items.map((i) => i.findingId)).not.toContain(id);
    today = '2026-05-17';
    expect((await services.findings.runReminders(quality)).items.map((i) => i.findingId)).not.toContain(id);
    today = '2026-05-18';
    expect(
      (await services.findings.runReminders(quality)).items.find((i) => i.findingId === id),
    ).toMatchObject({
      kind: 'reminder',
      daysLate: 8,
    });
    today = '2026-05-25';
    const escalation = await services.findings.runReminders(quality);
    expect(escalation.items.find((i) => i.findingId === id)).toMatchObject({
      kind: 'escalation',
      daysLate: 15,
    });

    const detail = await services.findings.get(partner, id);
    expect(detail.status).toBe('escalated');
    expect(detail.escalatedAt).not.toBeNull();
    expect(detail.reminders.map((r) => [r.kind, r.sentOn, r.channel])).toEqual([
      ['reminder', '2026-05-11', 'mail'],
      ['reminder', '2026-05-18', 'mail'],
      ['escalation', '2026-05-25', 'mail'],
    ]);
    expect(detail.reminders[0]?.recipients).toMatch(/planted-\d+@example\.org/);
    // No SMTP server: the messages are in the outbox, in French, with the finding's link.
    const outbox = readdirSync(path.join(dataDir, 'outbox')).map((f) =>
      readFileSync(path.join(dataDir, 'outbox', f), 'utf8'),
    );
    expect(outbox).toHaveLength(3);
    expect(outbox.join('\n')).toContain(`http://habilis.test/findings/${id}`);
    expect(outbox.some((m) => m.includes('Subject: =?UTF-8?') || m.includes('Relance'))).toBe(true);
    // An escalated finding no longer waits for the partner: no more reminders.
    today = '2026-06-30';
    expect((await services.findings.runReminders(quality)).items.map((i) => i.findingId)).not.toContain(id);
    // The quality manager asks again, with a new date.
    const renewed = await services.findings.requestAction(quality, id, {
      dueOn: '2026-07-15',
      message: 'Dernier délai avant sanction',
    });
    expect(renewed.status).toBe('action_requested');
  });

  it('a partner may neither run reminders nor qualify', async () => {
    await expect(services.findings.runReminders(partner)).rejects.toMatchObject({ code: 'forbidden' });
    const id = await open();
    await expect(
      services.findings.qualify(partner, id, { severity: 'minor', rootCause: 'x' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('Scheduler with finding reminders', () => {
  it('runs the reminders after the nightly controls', async () => {
    const handle = await newTestDatabase();
    let today = '2026-05-01';
    const services = createServices(
      handle,
      { publicUrl: 'http://habilis.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
      () => new Date(`${today}T10:00:00Z`),
    );
    try {
      const organisationId = await controlPlanter(handle.db).organisation();
      const system = systemActor('test');
      const { id } = await services.findings.create(system, {
        organisationId,
        title: 'x',
        severity: 'minor',
      });
      await services.findings.qualify(system, id, { severity: 'minor', rootCause: 'y' });
      await services.findings.requestAction(system, id, { dueOn: '2026-05-10', message: 'z' });
      today = '2026-05-12';
      const lines: string[] = [];
      const log = {
        info: (_: object, m: string) => lines.push(m),
        error: (_: object, m: string) => lines.push(m),
      };
      const controlRuns = {
        run: async () => ({ asOf: today, rules: [], findings: { opened: 0, updated: 0, resolved: 0 } }),
      };
      const sut = new Scheduler({
        db: handle.db,
        engine: handle.engine,
        controlRuns,
        findings: services.findings,
        log,
      });
      expect(await sut.tick()).toBe('ran');
      expect(lines).toContain('scheduled finding reminders: done');
      expect((await services.findings.get(system, id)).reminders).toMatchObject([
        { kind: 'reminder', daysLate: 2, sentOn: '2026-05-12' },
      ]);
    } finally {
      await handle.close();
    }
  });
});
