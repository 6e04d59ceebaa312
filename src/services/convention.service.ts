import { type Actor, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import {
  type ConventionStatus,
  canSignConvention,
  canTerminateConvention,
  isConventionEditable,
} from '../core/conventions/convention.js';
import {
  type ConventionListQuery,
  type ConventionPage,
  type ConventionView,
  conventionInput,
  conventionPatch,
  conventionSignatureInput,
  conventionTerminationInput,
} from '../core/conventions/convention.schema.js';
import { AppError, conflict, type FieldIssue, notFound, validationFailed } from '../core/errors.js';
import { calendarDay, periodError } from '../core/habilitations/period.js';
import type { Database } from '../db/database.js';
import { CertificationRepository } from '../db/repositories/certification.repository.js';
import {
  type ConventionCertificationRow,
  type ConventionListRow,
  ConventionRepository,
} from '../db/repositories/convention.repository.js';
import { EvidenceRepository } from '../db/repositories/evidence.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toConventionView(
  row: ConventionListRow,
  certifications: readonly ConventionCertificationRow[],
): ConventionView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    reference: row.reference,
    version: row.version,
    status: row.status as ConventionStatus,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    signedOn: row.signedOn,
    terminatedOn: row.terminatedOn,
    terminationReasons: row.terminationReasons,
    feePerCandidateCents: row.feePerCandidateCents,
    annualFeeCents: row.annualFeeCents,
    clauses: row.clauses,
    documentId: row.documentId,
    certifications: certifications.map((c) => ({ id: c.id, code: c.code, title: c.title })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === '23505';

/**
 * Partnership conventions: the contract between the certifier and a partner organisation that sets the
 * rules of the delegation (certifications covered, period, fees, clauses). A draft until its signature is
 * recorded; a partner user reads its own organisation's only.
 */
export class ConventionService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: ConventionListQuery): Promise<ConventionPage> {
    requireAccess(actor, 'convention.read');
    const scope = organisationScope(actor);
    const organisationIds =
      scope !== null
        ? query.organisationId && query.organisationId !== scope
          ? []
          : [scope]
        : query.organisationId
          ? [query.organisationId]
          : undefined;
    const repo = new ConventionRepository(this.ctx.db);
    const { items, total } = await repo.list(
      {
        ...(organisationIds ? { organisationIds } : {}),
        certificationId: query.certificationId,
        status: query.status,
        q: query.q,
      },
      query,
    );
    const certifications = await repo.certificationsOf(items.map((c) => c.id));
    return {
      items: items.map((c) => toConventionView(c, certifications.get(c.id) ?? [])),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(actor: Actor, id: string): Promise<ConventionView> {
    requireAccess(actor, 'convention.read');
    const repo = new ConventionRepository(this.ctx.db);
    const row = await repo.findById(id);
    if (!row) throw notFound('convention', id);
    requireInScope(actor, 'convention', id, row.organisationId);
    return this.view(repo, id);
  }

  async create(actor: Actor, input: unknown): Promise<ConventionView> {
    requireAccess(actor, 'convention.manage');
    const data = parseInput(conventionInput, input);
    const duplicate = () =>
      conflict(`A convention with reference ${data.reference} already exists`, [
        { field: 'reference', message: 'already used' },
      ]);
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const organisation = await new OrganisationRepository(trx).findById(data.organisationId);
        if (!organisation) throw notFound('organisation', data.organisationId);
        requireInScope(actor, 'organisation', organisation.id, organisation.id);
        if (organisation.archivedAt)
          throw new AppError('conflict', `Organisation ${organisation.legalName} is archived`, {
            fields: [{ field: 'organisationId', message: 'archived' }],
          });
        const repo = new ConventionRepository(trx);
        if (await repo.findByReference(data.reference)) throw duplicate();
        await this.checkCertifications(trx, data.certificationIds);
        if (data.documentId) await this.checkDocument(trx, data.documentId, organisation.id);
        const row = await repo.insert({
          organisationId: organisation.id,
          reference: data.reference,
          status: 'draft',
          startsOn: data.startsOn,
          endsOn: data.endsOn ?? null,
          feePerCandidateCents: data.feePerCandidateCents ?? null,
          annualFeeCents: data.annualFeeCents ?? null,
          clauses: JSON.stringify(data.clauses),
          documentId: data.documentId ?? null,
        });
        await repo.replaceCertifications(row.id, data.certificationIds);
        if (data.documentId) await this.linkDocument(trx, data.documentId, row.id, 'convention_document');
        const view = await this.view(repo, row.id);
        await recordAudit(
          trx,
          actor,
          { action: 'convention.create', entityType: 'convention', entityId: row.id, after: view },
          this.ctx.now,
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
  }

  /** Changes the terms of a convention not yet signed; each change makes a new version. */
  async update(actor: Actor, id: string, input: unknown): Promise<ConventionView> {
    requireAccess(actor, 'convention.manage');
    const patch = parseInput(conventionPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ConventionRepository(trx);
      const before = await this.lockAndRead(trx, actor, id);
      const status = before.status as ConventionStatus;
      // Nothing to change is no new version.
      if (Object.keys(patch).length === 0) return before.view;
      if (!isConventionEditable(status))
        throw new AppError(
          'conflict',
          `The convention is ${status}: its terms no longer change (a new convention amends it)`,
          { details: { status } },
        );
      const startsOn = patch.startsOn ?? before.startsOn;
      const endsOn = patch.endsOn === undefined ? before.endsOn : patch.endsOn;
      const period = periodError({ startsOn, endsOn });
      if (period) throw validationFailed([{ field: 'endsOn', message: period }]);
      if (patch.certificationIds) await this.checkCertifications(trx, patch.certificationIds);
      if (patch.documentId) await this.checkDocument(trx, patch.documentId, before.organisationId);
      await repo.update(id, {
        startsOn,
        endsOn,
        version: before.version + 1,
        ...(patch.feePerCandidateCents !== undefined
          ? { feePerCandidateCents: patch.feePerCandidateCents }
          : {}),
        ...(patch.annualFeeCents !== undefined ? { annualFeeCents: patch.annualFeeCents } : {}),
        ...(patch.clauses !== undefined ? { clauses: JSON.stringify(patch.clauses) } : {}),
        ...(patch.documentId !== undefined ? { documentId: patch.documentId } : {}),
      });
      if (patch.certificationIds) await repo.replaceCertifications(id, patch.certificationIds);
      if (patch.documentId) await this.linkDocument(trx, patch.documentId, id, 'convention_document');
      return this.audited(trx, actor, 'convention.update', before);
    });
  }

  /** Records the signature: the convention becomes signed on that day (not in the future). */
  async sign(actor: Actor, id: string, input: unknown): Promise<ConventionView> {
    requireAccess(actor, 'convention.manage');
    const data = parseInput(conventionSignatureInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.lockAndRead(trx, actor, id);
      const status = before.status as ConventionStatus;
      if (!canSignConvention(status))
        throw new AppError('conflict', `The convention is already ${status}: it cannot be signed`, {
          details: { from: status, to: 'signed' },
        });
      const today = calendarDay(this.ctx.now());
      if (data.signedOn > today)
        throw validationFailed([{ field: 'signedOn', message: `must not be after today (${today})` }]);
      if (data.documentId) await this.checkDocument(trx, data.documentId, before.organisationId);
      await new ConventionRepository(trx).update(id, {
        status: 'signed',
        signedOn: data.signedOn,
        ...(data.documentId ? { documentId: data.documentId } : {}),
      });
      if (data.documentId) await this.linkDocument(trx, data.documentId, id, 'signed_convention');
      return this.audited(trx, actor, 'convention.sign', before);
    });
  }

  /** Terminates a convention from a day (it stays in force until the day before), with the reasons. */
  async terminate(actor: Actor, id: string, input: unknown): Promise<ConventionView> {
    requireAccess(actor, 'convention.manage');
    const data = parseInput(conventionTerminationInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.lockAndRead(trx, actor, id);
      const status = before.status as ConventionStatus;
      if (!canTerminateConvention(status))
        throw new AppError('conflict', `The convention is already ${status}: it cannot be terminated`, {
          details: { from: status, to: 'terminated' },
        });
      await new ConventionRepository(trx).update(id, {
        status: 'terminated',
        terminatedOn: data.terminatedOn,
        terminationReasons: data.reasons,
      });
      return this.audited(trx, actor, 'convention.terminate', before);
    });
  }

  /**
   * Locks the convention until the end of the transaction (two changes of status cannot interleave) and
   * reads it as it is before the change.
   */
  private async lockAndRead(
    trx: Database,
    actor: Actor,
    id: string,
  ): Promise<ConventionListRow & { view: ConventionView }> {
    const repo = new ConventionRepository(trx);
    await repo.lockById(id);
    const row = await repo.findById(id);
    if (!row) throw notFound('convention', id);
    requireInScope(actor, 'convention', id, row.organisationId);
    const certifications = (await repo.certificationsOf([id])).get(id) ?? [];
    return { ...row, view: toConventionView(row, certifications) };
  }

  private async view(repo: ConventionRepository, id: string): Promise<ConventionView> {
    const row = await repo.findById(id);
    if (!row) throw notFound('convention', id);
    return toConventionView(row, (await repo.certificationsOf([id])).get(id) ?? []);
  }

  /** Reads the convention after a change and appends the audit entry, before and after, in `trx`. */
  private async audited(
    trx: Database,
    actor: Actor,
    action: string,
    before: { id: string; view: ConventionView },
  ): Promise<ConventionView> {
    const after = await this.view(new ConventionRepository(trx), before.id);
    await recordAudit(
      trx,
      actor,
      { action, entityType: 'convention', entityId: before.id, before: before.view, after },
      this.ctx.now,
    );
    return after;
  }

  /** Every certification named must exist; an unknown one is named by its place in the list. */
  private async checkCertifications(db: Database, certificationIds: readonly string[]): Promise<void> {
    const found = new Set(
      (await new CertificationRepository(db).findByIds(certificationIds)).map((c) => c.id),
    );
    const issues: FieldIssue[] = [];
    certificationIds.forEach((id, i) => {
      if (!found.has(id)) issues.push({ field: `certificationIds/${i}`, message: 'unknown certification' });
    });
    if (issues.length) throw validationFailed(issues);
  }

  /** The document must be an evidence file of the same organisation (or of the certifier itself). */
  private async checkDocument(db: Database, documentId: string, organisationId: string): Promise<void> {
    const file = await new EvidenceRepository(db).findById(documentId);
    if (!file) throw validationFailed([{ field: 'documentId', message: 'unknown evidence file' }]);
    if (file.organisationId !== null && file.organisationId !== organisationId)
      throw validationFailed([{ field: 'documentId', message: 'the file belongs to another organisation' }]);
  }

  private async linkDocument(db: Database, documentId: string, conventionId: string, purpose: string) {
    await new EvidenceRepository(db).insertLink({
      evidenceId: documentId,
      entityType: 'convention',
      entityId: conventionId,
      purpose,
    });
  }
}
