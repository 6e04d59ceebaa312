import { Readable } from 'node:stream';
import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import { conflict, type FieldIssue, notFound, validationFailed } from '../core/errors.js';
import {
  canMoveJury,
  type DeliberationView,
  deliberationInput,
  type JuryCandidateList,
  type JuryDetail,
  type JuryListQuery,
  type JuryMemberInput,
  type JuryPage,
  type JuryStatus,
  type JuryView,
  juryInput,
  juryMembersInput,
  juryPatch,
} from '../core/juries/jury.schema.js';
import type { Database } from '../db/database.js';
import { CandidateRepository } from '../db/repositories/candidate.repository.js';
import { CertificationRepository } from '../db/repositories/certification.repository.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { EvidenceRepository } from '../db/repositories/evidence.repository.js';
import {
  type DeliberationRow,
  type JuryMemberRow,
  JuryRepository,
  type JuryRow,
} from '../db/repositories/jury.repository.js';
import { type JuryMinutesData, juryMinutesView } from '../reports/jury-minutes/model.js';
import { juryMinutesPdf } from '../reports/jury-minutes/pdf.js';
import { recordAudit } from './audit.service.js';
import { isoOrNull, requireCertification, requireSkillBlocksOf } from './chain-support.js';
import { EvidenceStore } from './evidence/evidence-store.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toJuryView(row: JuryRow): JuryView {
  return {
    id: row.id,
    certificationId: row.certificationId,
    meetsOn: row.meetsOn,
    place: row.place,
    status: row.status as JuryStatus,
    signedAt: isoOrNull(row.signedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliberationView(row: DeliberationRow): DeliberationView {
  return {
    id: row.id,
    juryId: row.juryId,
    candidateId: row.candidateId,
    decision: row.decision as DeliberationView['decision'],
    skillBlockIds: row.skillBlockIds,
    note: row.note,
    decidedAt: row.decidedAt.toISOString(),
  };
}

const toMemberView = (m: JuryMemberRow) => ({
  id: m.id,
  fullName: m.fullName,
  role: m.role as JuryDetail['members'][number]['role'],
  userId: m.userId,
  organisationId: m.organisationId,
  hasConflictOfInterest: m.hasConflictOfInterest,
  conflictNote: m.conflictNote,
});

/** Juries: who sits (with their conflict-of-interest declarations), and the decision on each candidate. */
export class JuryService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: JuryListQuery): Promise<JuryPage> {
    requireAccess(actor, 'jury.read');
    const { items, total } = await new JuryRepository(this.ctx.db).list(query);
    return { items: items.map(toJuryView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<JuryDetail> {
    requireAccess(actor, 'jury.read');
    return this.detail(this.ctx.db, await this.load(this.ctx.db, id));
  }

  async create(actor: Actor, input: unknown): Promise<JuryDetail> {
    requireAccess(actor, 'jury.manage');
    const data = parseInput(juryInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      await requireCertification(refs, data.certificationId);
      await this.requireMemberReferences(refs, data.members);
      const repo = new JuryRepository(trx);
      const row = await repo.insert({
        certificationId: data.certificationId,
        meetsOn: data.meetsOn,
        place: data.place ?? null,
      });
      await repo.replaceMembers(row.id, data.members.map(memberRow));
      const detail = await this.detail(trx, row);
      await recordAudit(
        trx,
        actor,
        { action: 'jury.create', entityType: 'jury', entityId: row.id, after: detail },
        this.ctx.now,
      );
      return detail;
    });
  }

  /**
   * Changes date, place or status. Signing (deliberated → signed) needs a president without a declared
   * conflict of interest; signed minutes do not change any more.
   */
  async update(actor: Actor, id: string, input: unknown): Promise<JuryDetail> {
    requireAccess(actor, 'jury.manage');
    const changes = parseInput(juryPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, id);
      const from = row.status as JuryStatus;
      if (from === 'signed') throw conflict('The jury’s minutes are signed: the jury no longer changes');
      if (changes.status && !canMoveJury(from, changes.status))
        throw conflict(`A jury cannot go from ${from} to ${changes.status}`, [
          { field: 'status', message: `not allowed from ${from}` },
        ]);
      const before = await this.detail(trx, row);
      if (changes.status === 'signed') {
        const president = before.members.find((m) => m.role === 'president');
        if (!president)
          throw conflict('A jury signs with its president: name one first', [
            { field: 'status', message: 'no president' },
          ]);
        if (president.hasConflictOfInterest)
          throw conflict(
            `The president ${president.fullName} declared a conflict of interest: name another`,
            [{ field: 'status', message: 'president with a conflict of interest' }],
          );
      }
      if (changes.status === 'deliberated' && before.deliberations.length === 0)
        throw conflict('The jury has no deliberation yet', [{ field: 'status', message: 'no deliberation' }]);
      let updated = await new JuryRepository(trx).update(id, {
        ...changes,
        ...(changes.status === 'signed' ? { signedAt: this.ctx.now() } : {}),
      });
      // The signed minutes are kept as evidence, exactly as they were when signed.
      if (changes.status === 'signed')
        updated = await new JuryRepository(trx).update(id, {
          minutesId: await this.storeMinutes(trx, actor, updated),
        });
      const after = await this.detail(trx, updated);
      await recordAudit(
        trx,
        actor,
        { action: 'jury.update', entityType: 'jury', entityId: id, before, after },
        this.ctx.now,
      );
      return after;
    });
  }

  async setMembers(actor: Actor, id: string, input: unknown): Promise<JuryDetail> {
    requireAccess(actor, 'jury.manage');
    const data = parseInput(juryMembersInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, id);
      if (row.status === 'signed')
        throw conflict('The jury’s minutes are signed: its members no longer change');
      await this.requireMemberReferences(new ChainReferenceRepository(trx), data.members);
      const before = await this.detail(trx, row);
      await new JuryRepository(trx).replaceMembers(id, data.members.map(memberRow));
      const after = await this.detail(trx, row);
      await recordAudit(
        trx,
        actor,
        {
          action: 'jury.set_members',
          entityType: 'jury',
          entityId: id,
          before: before.members,
          after: after.members,
        },
        this.ctx.now,
      );
      return after;
    });
  }

  /** The jury's decision on one candidate; certification by blocks names the blocks of the certification validated. */
  async deliberate(actor: Actor, id: string, input: unknown): Promise<DeliberationView> {
    requireAccess(actor, 'jury.manage');
    const data = parseInput(deliberationInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const jury = await this.load(trx, id);
      if (jury.status === 'signed') throw conflict('The jury’s minutes are signed: no more deliberations');
      const refs = new ChainReferenceRepository(trx);
      if ((await refs.candidatesByIds([data.candidateId])).length === 0)
        throw validationFailed([{ field: 'candidateId', message: `no candidate ${data.candidateId}` }]);
      await requireSkillBlocksOf(refs, jury.certificationId, data.skillBlockIds);
      const repo = new JuryRepository(trx);
      const existing = await repo.findDeliberationOf(id, data.candidateId);
      if (existing)
        throw conflict(`This jury already decided on candidate ${data.candidateId}`, [
          { field: 'candidateId', message: 'already deliberated by this jury' },
        ]);
      const row = await repo.insertDeliberation(
        {
          juryId: id,
          candidateId: data.candidateId,
          decision: data.decision,
          note: data.note ?? null,
          decidedAt: this.ctx.now(),
        },
        data.skillBlockIds,
      );
      const view = toDeliberationView(row);
      await recordAudit(
        trx,
        actor,
        { action: 'jury.deliberate', entityType: 'deliberation', entityId: row.id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  /** The candidates before the jury, each with its results, this jury's decision and the certificate issued. */
  async candidates(actor: Actor, id: string): Promise<JuryCandidateList> {
    requireAccess(actor, 'jury.read');
    const row = await this.load(this.ctx.db, id);
    const repo = new JuryRepository(this.ctx.db);
    const people = await repo.candidatesBefore(id, row.certificationId);
    const [results, deliberations, certificates] = await Promise.all([
      repo.resultsFor(
        row.certificationId,
        people.map((p) => p.id),
      ),
      repo.deliberationsOf(id),
      repo.certificatesOf(id),
    ]);
    return {
      items: people.map((p) => {
        const deliberation = deliberations.find((d) => d.candidateId === p.id);
        const certificate = deliberation && certificates.find((c) => c.deliberationId === deliberation.id);
        return {
          candidateId: p.id,
          organisationId: p.organisationId,
          birthName: p.birthName,
          usageName: p.usageName,
          firstNames: p.firstNames,
          birthDate: p.birthDate,
          results: results
            .filter((r) => r.candidateId === p.id)
            .map((r) => ({
              assessmentSessionId: r.assessmentSessionId,
              assessedAt: r.startsAt.toISOString(),
              skillBlockId: r.skillBlockId,
              skillBlockCode: r.skillBlockCode,
              assessmentTask: r.assessmentTask,
              score: r.score,
              maxScore: r.maxScore,
              decision: r.decision as JuryCandidateList['items'][number]['results'][number]['decision'],
            })),
          deliberation: deliberation ? toDeliberationView(deliberation) : null,
          certificate: certificate
            ? {
                id: certificate.id,
                number: certificate.number,
                accrochageStatus: certificate.accrochageStatus as NonNullable<
                  JuryCandidateList['items'][number]['certificate']
                >['accrochageStatus'],
                revoked: certificate.revokedAt !== null,
              }
            : null,
        };
      }),
    };
  }

  /**
   * The minutes (PV) as a PDF: once signed, the copy stored as evidence at signing (checked against its
   * SHA-256); before, a draft rendered now and marked « PROJET ».
   */
  async minutesPdf(actor: Actor, id: string): Promise<{ fileName: string; content: Buffer | Readable }> {
    requireAccess(actor, 'jury.read');
    const row = await this.load(this.ctx.db, id);
    const fileName = `pv-jury-${row.meetsOn}-${id.slice(0, 8)}.pdf`;
    if (row.minutesId) {
      const file = await new EvidenceRepository(this.ctx.db).findById(row.minutesId);
      if (!file) throw notFound('evidence', row.minutesId);
      const { stream } = await new EvidenceStore(this.ctx.config.filesDir).openVerified(file.sha256);
      return { fileName: file.fileName, content: stream };
    }
    return {
      fileName,
      content: await juryMinutesPdf(juryMinutesView(await this.minutesData(this.ctx.db, row))),
    };
  }

  /** Renders the signed minutes, stores them as evidence linked to the jury, and answers the evidence id. */
  private async storeMinutes(trx: Database, actor: Actor, row: JuryRow): Promise<string> {
    const content = await juryMinutesPdf(juryMinutesView(await this.minutesData(trx, row)));
    const stored = await new EvidenceStore(this.ctx.config.filesDir).write(Readable.from([content]), {
      maxBytes: Number.MAX_SAFE_INTEGER,
      mediaTypeOf: () => 'application/pdf',
    });
    const evidence = new EvidenceRepository(trx);
    const file = await evidence.insert({
      sha256: stored.sha256,
      fileName: `pv-jury-${row.meetsOn}-${row.id.slice(0, 8)}.pdf`,
      mediaType: 'application/pdf',
      sizeBytes: stored.sizeBytes,
      description: 'Procès-verbal signé du jury',
      organisationId: null,
      uploadedBy: actorId(actor),
    });
    await evidence.insertLink({
      evidenceId: file.id,
      entityType: 'jury',
      entityId: row.id,
      purpose: 'jury_minutes',
    });
    await recordAudit(
      trx,
      actor,
      {
        action: 'evidence.upload',
        entityType: 'evidence',
        entityId: file.id,
        after: { sha256: stored.sha256, fileName: file.fileName, juryId: row.id, purpose: 'jury_minutes' },
      },
      this.ctx.now,
    );
    return file.id;
  }

  /** Everything the minutes print: certification, members, each decision with the candidate and the blocks. */
  private async minutesData(db: Database, row: JuryRow): Promise<JuryMinutesData> {
    const detail = await this.detail(db, row);
    const refs = new ChainReferenceRepository(db);
    const [certification, blocks, certifierName] = await Promise.all([
      new CertificationRepository(db).findById(row.certificationId),
      refs.skillBlocksOf(row.certificationId),
      refs.certifierName(),
    ]);
    const candidates = new CandidateRepository(db);
    const deliberations = [];
    for (const d of detail.deliberations) {
      const candidate = await candidates.findById(d.candidateId);
      deliberations.push({
        candidate: candidate ?? {
          firstNames: '?',
          birthName: d.candidateId,
          usageName: null,
          birthDate: null,
        },
        decision: d.decision,
        skillBlocks: blocks.filter((b) => d.skillBlockIds.includes(b.id)),
        note: d.note,
      });
    }
    return {
      certifierName: certifierName ?? 'Organisme certificateur',
      jury: {
        id: row.id,
        meetsOn: row.meetsOn,
        place: row.place,
        status: row.status,
        signedAt: isoOrNull(row.signedAt),
      },
      certification: {
        code: certification?.code ?? '',
        title: certification?.title ?? '',
        level: certification?.level ?? null,
      },
      members: detail.members,
      deliberations,
    };
  }

  /** Members that name a user or an organisation must name existing ones. */
  private async requireMemberReferences(refs: ChainReferenceRepository, members: readonly JuryMemberInput[]) {
    const userIds = members.map((m) => m.userId).filter((u): u is string => !!u);
    const users = new Set((await refs.usersByIds(userIds)).map((u) => u.id));
    const issues: FieldIssue[] = [];
    for (const [i, m] of members.entries()) {
      if (m.userId && !users.has(m.userId))
        issues.push({ field: `members/${i}/userId`, message: `no user ${m.userId}` });
      if (m.organisationId && !(await refs.organisationExists(m.organisationId)))
        issues.push({ field: `members/${i}/organisationId`, message: `no organisation ${m.organisationId}` });
    }
    if (issues.length) throw validationFailed(issues);
  }

  private async load(db: Database, id: string): Promise<JuryRow> {
    const row = await new JuryRepository(db).findById(id);
    if (!row) throw notFound('jury', id);
    return row;
  }

  private async detail(db: Database, row: JuryRow): Promise<JuryDetail> {
    const repo = new JuryRepository(db);
    const [members, deliberations] = await Promise.all([
      repo.membersOf(row.id),
      repo.deliberationsOf(row.id),
    ]);
    return {
      ...toJuryView(row),
      members: members.map(toMemberView),
      deliberations: deliberations.map(toDeliberationView),
    };
  }
}

const memberRow = (m: JuryMemberInput) => ({
  fullName: m.fullName,
  role: m.role,
  userId: m.userId ?? null,
  organisationId: m.organisationId ?? null,
  hasConflictOfInterest: m.hasConflictOfInterest,
  conflictNote: m.conflictNote ?? null,
});
