import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../../core/contracts/audit.js';
import type { ConventionView } from '../../../core/conventions/convention.schema.js';
import type { FindingView } from '../../../core/findings/finding.schema.js';
import type { SanctionView } from '../../../core/sanctions/sanction.schema.js';
import { buildTimeline, type TimelineSources } from './timeline.js';

const orgId = '11111111-1111-4111-8111-111111111111';
const habId = '22222222-2222-4222-8222-222222222222';
const convId = '33333333-3333-4333-8333-333333333333';

const convention: ConventionView = {
  id: convId,
  organisationId: orgId,
  organisationName: 'Formasud',
  reference: 'CONV-2026-001',
  version: 1,
  status: 'terminated',
  startsOn: '2026-01-01',
  endsOn: null,
  signedOn: '2026-01-10',
  terminatedOn: '2026-06-01',
  terminationReasons: 'Cessation d’activité',
  feePerCandidateCents: null,
  annualFeeCents: null,
  clauses: {},
  documentId: null,
  certifications: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-06-01T09:00:00.000Z',
};

const finding = {
  id: '44444444-4444-4444-8444-444444444444',
  title: 'Feuilles d’émargement absentes',
  severity: 'major',
  openedAt: '2026-03-01T08:00:00.000Z',
  closedAt: '2026-04-01T08:00:00.000Z',
} as FindingView;

const sanction = {
  id: '55555555-5555-4555-8555-555555555555',
  habilitationId: habId,
  level: 'suspension',
  reasons: 'Constat majeur non corrigé',
  decidedOn: '2026-04-15',
  repliedAt: null,
  reply: null,
} as unknown as SanctionView;

const sources = (extra: Partial<TimelineSources> = {}): TimelineSources => ({
  organisation: { id: orgId, createdAt: '2026-01-02T10:00:00.000Z', archivedAt: null },
  habilitations: [
    {
      id: habId,
      certificationCode: 'RNCP35419',
      decisions: [
        {
          id: 'd1',
          habilitationId: habId,
          fromStatus: null,
          toStatus: 'application',
          reasons: 'Dossier reçu',
          decidedBy: null,
          decidedByName: 'Camille Martin',
          decidedAt: '2026-01-03T10:00:00.000Z',
        },
        {
          id: 'd2',
          habilitationId: habId,
          fromStatus: 'active',
          toStatus: 'suspended',
          reasons: 'Constat majeur',
          decidedBy: null,
          decidedByName: 'Camille Martin',
          decidedAt: '2026-04-16T10:00:00.000Z',
        },
      ],
    },
  ],
  conventions: [convention],
  evidence: [],
  findings: [finding],
  sanctions: [sanction],
  ...extra,
});

const entry = (
  seq: number,
  action: string,
  entityType: string,
  entityId: string,
  at: string,
  before: unknown = null,
  after: unknown = null,
): AuditEntryView => ({
  seq,
  at,
  actorId: null,
  actorLabel: 'Camille Martin',
  action,
  entityType,
  entityId,
  before,
  after,
  hash: 'x',
});

describe('buildTimeline', () => {
  it('rebuilds the story from the records, newest first, without an audit log', () => {
    const events = buildTimeline(sources());
    expect(events.map((e) => e.event)).toEqual([
      'convention_terminate',
      'habilitation_decide',
      'sanction_create',
      'finding_close',
      'finding_create',
      'convention_sign',
      'convention_create',
      'habilitation_create',
      'organisation_create',
    ]);
    const suspension = events.find((e) => e.event === 'habilitation_decide');
    expect(suspension).toMatchObject({
      subject: 'RNCP35419',
      link: `/habilitations/${habId}`,
      actor: 'Camille Martin',
      text: 'Constat majeur',
      fromStatus: 'active',
      toStatus: 'suspended',
      color: 'red',
    });
    expect(events.find((e) => e.event === 'convention_terminate')).toMatchObject({
      dateOnly: true,
      text: 'Cessation d’activité',
      link: `/conventions/${convId}`,
    });
  });

  it('takes the organisation, habilitation and convention events from the audit log when given', () => {
    const audit = [
      entry(1, 'organisation.create', 'organisation', orgId, '2026-01-02T10:00:00.000Z'),
      entry(
        2,
        'habilitation.decide',
        'habilitation',
        habId,
        '2026-02-01T10:00:00.000Z',
        { status: 'review' },
        { status: 'active', reasons: 'Convention signée' },
      ),
      entry(3, 'convention.sign', 'convention', convId, '2026-01-10T15:00:00.000Z'),
    ];
    const events = buildTimeline(sources({ audit }));
    // The records' decisions and signature are not repeated next to the log's.
    expect(events.filter((e) => e.event === 'habilitation_decide')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'convention_sign')).toHaveLength(1);
    expect(events.some((e) => e.event === 'habilitation_create')).toBe(false);
    expect(events.find((e) => e.event === 'habilitation_decide')).toMatchObject({
      key: 'audit-2',
      subject: 'RNCP35419',
      fromStatus: 'review',
      toStatus: 'active',
      text: 'Convention signée',
      color: 'teal',
    });
    expect(events.find((e) => e.event === 'convention_sign')?.subject).toBe('CONV-2026-001');
    // Findings and sanctions still come from their records.
    expect(events.map((e) => e.event)).toContain('sanction_create');
    expect(events.map((e) => e.event)).toContain('finding_create');
  });

  it('puts a day-only event before the same day’s timed events (it counts from the start of the day)', () => {
    const audit = [
      entry(
        7,
        'habilitation.decide',
        'habilitation',
        habId,
        '2026-04-15T08:00:00.000Z',
        { status: 'active' },
        { status: 'suspended', reasons: 'r' },
      ),
    ];
    const events = buildTimeline(sources({ audit, findings: [], conventions: [] }));
    expect(events.map((e) => e.key)).toEqual([`audit-7`, `sanction-${sanction.id}`]);
  });

  it('keeps an audit action it has no label for, and an unknown status, without failing', () => {
    const audit = [
      entry(
        9,
        'habilitation.decide',
        'habilitation',
        'gone',
        '2026-05-01T00:00:00.000Z',
        { status: 'x' },
        { status: 'y' },
      ),
    ];
    const [event] = buildTimeline(sources({ audit, findings: [], sanctions: [], conventions: [] }));
    expect(event).toMatchObject({
      event: 'habilitation_decide',
      subject: null,
      fromStatus: null,
      toStatus: null,
      color: 'gray',
    });
  });
});
