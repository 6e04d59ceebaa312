import { type Actor, can, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import {
  birthPlaceIssues,
  type CandidateListQuery,
  type CandidatePage,
  type CandidateView,
  candidateInput,
  candidatePatch,
  certifiedIdentityFields,
} from '../core/candidates/candidate.schema.js';
import { AppError, conflict, notFound, validationFailed } from '../core/errors.js';
import type { Database } from '../db/database.js';
import { CandidateRepository, type CandidateRow } from '../db/repositories/candidate.repository.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { recordAudit } from './audit.service.js';
import { declaringOrganisation, evaluatorScope, todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toCandidateView(row: CandidateRow): CandidateView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    birthName: row.birthName,
    usageName: row.usageName,
    firstNames: row.firstNames,
    sex: row.sex,
    birthDate: row.birthDate,
    birthPlaceCode: row.birthPlaceCode,
    birthCountryCode: row.birthCountryCode,
    email: row.email,
    accessRoute: row.accessRoute as CandidateView['accessRoute'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Candidates: the people who sit a certification, with the identity the CDC accrochage needs. */
export class CandidateService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: CandidateListQuery): Promise<CandidatePage> {
    requireAccess(actor, 'chain.read');
    const { items, total } = await new CandidateRepository(this.ctx.db).list(
      query,
      organisationScope(actor),
      evaluatorScope(actor),
    );
    return { items: items.map(toCandidateView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<CandidateView> {
    requireAccess(actor, 'chain.read');
    return toCandidateView(await this.load(this.ctx.db, actor, id));
  }

  async create(actor: Actor, input: unknown): Promise<CandidateView> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(candidateInput, input);
    const organisationId = declaringOrganisation(actor, data.organisationId);
    this.checkBirthDate(data.birthDate);
    return this.ctx.db.transaction().execute(async (trx) => {
      if (organisationId && !(await new ChainReferenceRepository(trx).organisationExists(organisationId)))
        throw validationFailed([{ field: 'organisationId', message: `no organisation ${organisationId}` }]);
      const repo = new CandidateRepository(trx);
      await this.refuseDuplicate(repo, { ...data, organisationId });
      const row = await repo.insert({
        organisationId,
        birthName: data.birthName,
        usageName: data.usageName ?? null,
        firstNames: data.firstNames,
        sex: data.sex,
        birthDate: data.birthDate,
        birthPlaceCode: data.birthPlaceCode ?? null,
        birthCountryCode: data.birthCountryCode ?? null,
        email: data.email ?? null,
        accessRoute: data.accessRoute,
      });
      const view = toCandidateView(row);
      await recordAudit(
        trx,
        actor,
        { action: 'candidate.create', entityType: 'candidate', entityId: row.id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  /**
   * Corrects a candidate. Once a live (not revoked) certificate was issued to the candidate, the identity it
   * bears (`certifiedIdentityFields`) is on record: its PDF and, once sent, the CDC's files. Then a partner
   * may no longer change it (409 `conflict`, `details.reason` = `identity_certified`) and the certifier
   * (`certificate.manage`) must give a `reason`, kept in the audit entry (`candidate.correct_certified_identity`)
   * with the certificates concerned. The e-mail stays free.
   */
  async update(actor: Actor, id: string, input: unknown): Promise<CandidateView> {
    requireAccess(actor, 'chain.declare');
    const { reason, ...changes } = parseInput(candidatePatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.load(trx, actor, id);
      const merged = { ...before, ...changes };
      // The place of birth is checked as a whole: changing one code must not leave a contradiction.
      const issues = birthPlaceIssues(merged);
      if (issues.length) throw validationFailed(issues);
      if (changes.birthDate) this.checkBirthDate(changes.birthDate);
      const repo = new CandidateRepository(trx);
      const identityChanged = certifiedIdentityFields.filter(
        (f) => changes[f] !== undefined && (changes[f] ?? null) !== (before[f] ?? null),
      );
      const certificates = identityChanged.length ? await repo.liveCertificatesOf(id) : [];
      if (certificates.length) this.requireCertifiedCorrection(actor, identityChanged, certificates, reason);
      if (merged.birthDate)
        await this.refuseDuplicate(repo, { ...merged, birthDate: merged.birthDate, exceptId: id });
      const after = await repo.update(id, changes);
      await recordAudit(
        trx,
        actor,
        {
          action: certificates.length ? 'candidate.correct_certified_identity' : 'candidate.update',
          entityType: 'candidate',
          entityId: id,
          before: toCandidateView(before),
          after: certificates.length
            ? {
                ...toCandidateView(after),
                correction: {
                  reason,
                  fields: identityChanged,
                  certificates: certificates.map((c) => ({
                    number: c.number,
                    accrochageStatus: c.accrochageStatus,
                  })),
                },
              }
            : toCandidateView(after),
        },
        this.ctx.now,
      );
      return toCandidateView(after);
    });
  }

  /** The identity on a live certificate: the certifier corrects it, with a reason; nobody else. */
  private requireCertifiedCorrection(
    actor: Actor,
    fields: readonly string[],
    certificates: readonly { number: string; accrochageStatus: string }[],
    reason: string | undefined,
  ) {
    const numbers = certificates.map((c) => c.number).join(', ');
    if (!can(actor, 'certificate.manage'))
      throw new AppError(
        'conflict',
        `The candidate holds certificate ${numbers}: only the certifier may correct the identity it bears`,
        {
          details: { reason: 'identity_certified', certificates: certificates.map((c) => c.number) },
          fields: fields.map((field) => ({ field, message: `on certificate ${numbers}` })),
        },
      );
    if (!reason)
      throw validationFailed([
        { field: 'reason', message: `the identity is on certificate ${numbers}: say why it is corrected` },
      ]);
  }

  /** A candidate the actor may see: a partner's own, anyone's for certifier staff; not_found otherwise. */
  private async load(db: Database, actor: Actor, id: string): Promise<CandidateRow> {
    const row = await new CandidateRepository(db).findById(id);
    if (!row) throw notFound('candidate', id);
    requireInScope(actor, 'candidate', id, row.organisationId);
    const evaluatorId = evaluatorScope(actor);
    if (evaluatorId && !(await new CandidateRepository(db).isVisibleToEvaluator(id, evaluatorId)))
      throw notFound('candidate', id);
    return row;
  }

  private checkBirthDate(birthDate: string) {
    if (birthDate > todayOf(this.ctx.now))
      throw validationFailed([{ field: 'birthDate', message: 'must not be in the future' }]);
  }

  private async refuseDuplicate(
    repo: CandidateRepository,
    c: {
      organisationId: string | null;
      birthName: string;
      firstNames: string;
      birthDate: string;
      exceptId?: string;
    },
  ) {
    const same = await repo.findSameIdentity(c);
    if (same)
      throw conflict(
        `A candidate ${c.firstNames} ${c.birthName} born on ${c.birthDate} already exists in this organisation (${same.id})`,
        [{ field: 'birthName', message: 'same person already registered' }],
      );
  }
}
