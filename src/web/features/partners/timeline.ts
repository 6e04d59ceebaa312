import type { AuditEntryView } from '../../../core/contracts/audit.js';
import type { ConventionView } from '../../../core/conventions/convention.schema.js';
import type { EvidenceView } from '../../../core/evidence/evidence.schema.js';
import type { FindingView } from '../../../core/findings/finding.schema.js';
import type { HabilitationDecisionView } from '../../../core/habilitations/habilitation.schema.js';
import { type HabilitationStatus, habilitationStatuses } from '../../../core/habilitations/lifecycle.js';
import type { SanctionView } from '../../../core/sanctions/sanction.schema.js';
import { habilitationStatusColors } from '../habilitations/habilitation-labels.js';

/** One thing that happened to a partner, ready to show: what, when, about what, by whom, why. */
export interface TimelineEvent {
  key: string;
  /** ISO date-time, or a bare ISO date for what is only known to the day (a signature, a sanction). */
  at: string;
  dateOnly: boolean;
  /** `habilitation_decide`, `convention_sign`…: the key of its label (audit actions with `_` for `.`). */
  event: string;
  /** What it is about: a certification code, a convention reference, a file name, a finding's title. */
  subject: string | null;
  link: string | null;
  actor: string | null;
  /** The reasons, a reply, a termination's grounds. */
  text: string | null;
  fromStatus: HabilitationStatus | null;
  toStatus: HabilitationStatus | null;
  color: string;
}

export interface TimelineHabilitation {
  id: string;
  certificationCode: string;
  /** Needed only when there is no audit log to read (partner users): the decisions tell the story. */
  decisions?: readonly HabilitationDecisionView[];
}

export interface TimelineSources {
  organisation: { id: string; createdAt: string; archivedAt: string | null };
  habilitations: readonly TimelineHabilitation[];
  conventions: readonly ConventionView[];
  evidence: readonly EvidenceView[];
  findings: readonly FindingView[];
  sanctions: readonly SanctionView[];
  /**
   * Audit entries about the organisation, its habilitations and its conventions, when the user may read
   * the log. They then replace what the records would say about those three (with the author of each
   * change); without them, the timeline is rebuilt from the records.
   */
  audit?: readonly AuditEntryView[] | null;
}

const isStatus = (value: unknown): value is HabilitationStatus =>
  typeof value === 'string' && (habilitationStatuses as readonly string[]).includes(value);

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

const stringField = (value: unknown, name: string): string | null => {
  const v = field(value, name);
  return typeof v === 'string' && v !== '' ? v : null;
};

const base = {
  dateOnly: false,
  subject: null,
  link: null,
  actor: null,
  text: null,
  fromStatus: null,
  toStatus: null,
  color: 'gray',
} satisfies Partial<TimelineEvent>;

const eventColors: Record<string, string> = {
  organisation_create: 'indigo',
  organisation_archive: 'gray',
  habilitation_create: 'blue',
  convention_create: 'blue',
  convention_sign: 'teal',
  convention_terminate: 'red',
  evidence_upload: 'gray',
  finding_close: 'teal',
  sanction_reply: 'blue',
};

function fromAudit(sources: TimelineSources, entries: readonly AuditEntryView[]): TimelineEvent[] {
  const habilitations = new Map(sources.habilitations.map((h) => [h.id, h]));
  const conventions = new Map(sources.conventions.map((c) => [c.id, c]));
  return entries.map((entry) => {
    const event = entry.action.replace(/\./g, '_');
    const common = { ...base, key: `audit-${entry.seq}`, at: entry.at, event, actor: entry.actorLabel };
    if (entry.entityType === 'habilitation' && entry.entityId) {
      const subject =
        habilitations.get(entry.entityId)?.certificationCode ?? stringField(entry.after, 'certificationCode');
      const link = `/habilitations/${entry.entityId}`;
      if (entry.action === 'habilitation.decide') {
        const from = field(entry.before, 'status');
        const to = field(entry.after, 'status');
        return {
          ...common,
          subject,
          link,
          text: stringField(entry.after, 'reasons'),
          fromStatus: isStatus(from) ? from : null,
          toStatus: isStatus(to) ? to : null,
          color: isStatus(to) ? habilitationStatusColors[to] : 'gray',
        };
      }
      return { ...common, subject, link, color: eventColors[event] ?? 'gray' };
    }
    if (entry.entityType === 'convention' && entry.entityId) {
      const subject = conventions.get(entry.entityId)?.reference ?? stringField(entry.after, 'reference');
      return {
        ...common,
        subject,
        link: `/conventions/${entry.entityId}`,
        text: entry.action === 'convention.terminate' ? stringField(entry.after, 'terminationReasons') : null,
        color: eventColors[event] ?? 'gray',
      };
    }
    return { ...common, color: eventColors[event] ?? 'gray' };
  });
}

function fromRecords(sources: TimelineSources): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const { organisation } = sources;
  events.push({
    ...base,
    key: `organisation-create-${organisation.id}`,
    at: organisation.createdAt,
    event: 'organisation_create',
    color: eventColors.organisation_create ?? 'gray',
  });
  if (organisation.archivedAt)
    events.push({
      ...base,
      key: `organisation-archive-${organisation.id}`,
      at: organisation.archivedAt,
      event: 'organisation_archive',
    });
  for (const h of sources.habilitations) {
    for (const d of h.decisions ?? []) {
      const isApplication = d.fromStatus === null;
      events.push({
        ...base,
        key: `decision-${d.id}`,
        at: d.decidedAt,
        event: isApplication ? 'habilitation_create' : 'habilitation_decide',
        subject: h.certificationCode,
        link: `/habilitations/${h.id}`,
        actor: d.decidedByName,
        text: d.reasons,
        fromStatus: d.fromStatus,
        toStatus: isApplication ? null : d.toStatus,
        color: isApplication ? 'blue' : habilitationStatusColors[d.toStatus],
      });
    }
  }
  for (const c of sources.conventions) {
    const about = { subject: c.reference, link: `/conventions/${c.id}` };
    events.push({
      ...base,
      ...about,
      key: `convention-create-${c.id}`,
      at: c.createdAt,
      event: 'convention_create',
      color: 'blue',
    });
    if (c.signedOn)
      events.push({
        ...base,
        ...about,
        key: `convention-sign-${c.id}`,
        at: c.signedOn,
        dateOnly: true,
        event: 'convention_sign',
        color: 'teal',
      });
    if (c.terminatedOn)
      events.push({
        ...base,
        ...about,
        key: `convention-terminate-${c.id}`,
        at: c.terminatedOn,
        dateOnly: true,
        event: 'convention_terminate',
        text: c.terminationReasons,
        color: 'red',
      });
  }
  return events;
}

/** Findings, sanctions and evidence come from their records whether or not the audit log is read. */
function fromQualityRecords(sources: TimelineSources): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const e of sources.evidence)
    events.push({
      ...base,
      key: `evidence-${e.id}`,
      at: e.uploadedAt,
      event: 'evidence_upload',
      subject: e.fileName,
    });
  for (const f of sources.findings) {
    events.push({
      ...base,
      key: `finding-open-${f.id}`,
      at: f.openedAt,
      event: 'finding_create',
      subject: f.title,
      color: f.severity === 'minor' ? 'yellow' : f.severity === 'major' ? 'orange' : 'red',
    });
    if (f.closedAt)
      events.push({
        ...base,
        key: `finding-close-${f.id}`,
        at: f.closedAt,
        event: 'finding_close',
        subject: f.title,
        color: 'teal',
      });
  }
  for (const s of sources.sanctions) {
    events.push({
      ...base,
      key: `sanction-${s.id}`,
      at: s.decidedOn,
      dateOnly: true,
      event: 'sanction_create',
      subject: s.level,
      text: s.reasons,
      color: s.level === 'observation' ? 'yellow' : s.level === 'warning' ? 'orange' : 'red',
      ...(s.habilitationId ? { link: `/habilitations/${s.habilitationId}` } : {}),
    });
    if (s.repliedAt)
      events.push({
        ...base,
        key: `sanction-reply-${s.id}`,
        at: s.repliedAt,
        event: 'sanction_reply',
        subject: s.level,
        text: s.reply,
        color: 'blue',
      });
  }
  return events;
}

/** A sortable instant: a bare date counts from the start of its day. */
const instantOf = (e: TimelineEvent): string =>
  e.dateOnly ? `${e.at}T00:00:00.000Z` : new Date(e.at).toISOString();

/**
 * Everything that happened to a partner, newest first: the audit log's entries about the organisation,
 * its habilitations and conventions when given (else the same story from the records: decisions,
 * signatures, terminations), plus evidence uploads, findings opened and closed, sanctions and replies.
 */
export function buildTimeline(sources: TimelineSources): TimelineEvent[] {
  const events = [
    ...(sources.audit ? fromAudit(sources, sources.audit) : fromRecords(sources)),
    ...fromQualityRecords(sources),
  ];
  // One event per key: an audit entry read twice, through two overlapping lists, shows once.
  const unique = [...new Map(events.map((e) => [e.key, e])).values()];
  return unique.sort((a, b) => {
    const byTime = instantOf(b).localeCompare(instantOf(a));
    return byTime !== 0 ? byTime : a.key.localeCompare(b.key);
  });
}
