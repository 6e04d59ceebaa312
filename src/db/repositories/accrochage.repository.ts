import { sql } from 'kysely';
import type { Database } from '../database.js';
import { evaluatedCertificateIds } from './evaluator-scope.js';

/** Where a batch of the export starts: after this certificate in (certification code, number, id) order. */
export interface AccrochageExportKey {
  certificationCode: string;
  number: string;
  id: string;
}

export interface AccrochageExportFilter {
  certificationCode?: string | undefined;
  /** Only certificates issued on or after this day (`YYYY-MM-DD`). */
  since?: string | undefined;
}

/** The statuses of a certificate still to be sent to the CDC: never sent, or sent and refused. */
export const ACCROCHAGE_TO_SEND = ['pending', 'rejected'] as const;

/** Large id lists are written in slices, under PostgreSQL's limit of bind parameters per statement. */
const SLICE = 5_000;

function slices<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += SLICE) out.push(items.slice(i, i + SLICE));
  return out;
}

export class AccrochageRepository {
  constructor(private readonly db: Database) {}

  /**
   * One batch of the certificates to send (pending or rejected, not revoked), with their holder's identity and
   * their certification, in (certification code, number, id) order so that passages of one certification
   * follow each other in the flux. Keyset pagination: pass the last row's key to read the next batch.
   */
  exportBatch(filter: AccrochageExportFilter, after: AccrochageExportKey | null, limit: number) {
    let q = this.db
      .selectFrom('certificates')
      .innerJoin('candidates', 'candidates.id', 'certificates.candidateId')
      .innerJoin('certifications', 'certifications.id', 'certificates.certificationId')
      .innerJoin('deliberations', 'deliberations.id', 'certificates.deliberationId')
      .select([
        'certificates.id',
        'certificates.number',
        'certificates.issuedOn',
        'certificates.verificationCode',
        'certificates.deliberationId',
        'deliberations.decision',
        'deliberations.decidedAt',
        'certifications.code as certificationCode',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
        'candidates.sex',
        'candidates.birthDate',
        'candidates.birthPlaceCode',
        'candidates.birthCountryCode',
        'candidates.accessRoute',
      ])
      .where('certificates.accrochageStatus', 'in', [...ACCROCHAGE_TO_SEND])
      .where('certificates.revokedAt', 'is', null);
    if (filter.certificationCode) q = q.where('certifications.code', '=', filter.certificationCode);
    if (filter.since) q = q.where('certificates.issuedOn', '>=', filter.since);
    if (after)
      q = q.where(
        sql<boolean>`(certifications.code, certificates.number, certificates.id) > (${after.certificationCode}, ${after.number}, ${after.id}::uuid)`,
      );
    return q
      .orderBy('certifications.code')
      .orderBy('certificates.number')
      .orderBy('certificates.id')
      .limit(limit)
      .execute();
  }

  /** The codes of the blocks each deliberation validated, for several deliberations at once. */
  validatedBlockCodes(deliberationIds: readonly string[]) {
    if (deliberationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('deliberationSkillBlocks')
      .innerJoin('skillBlocks', 'skillBlocks.id', 'deliberationSkillBlocks.skillBlockId')
      .select(['deliberationSkillBlocks.deliberationId', 'skillBlocks.code'])
      .where('deliberationSkillBlocks.deliberationId', 'in', [...deliberationIds])
      .orderBy('skillBlocks.code')
      .execute();
  }

  /**
   * Marks as sent those of the certificates still to send; one whose status changed meanwhile (accepted by a
   * report imported during the export) is left as it is. Returns how many rows changed.
   */
  async markSent(ids: readonly string[]): Promise<number> {
    let changed = 0;
    for (const part of slices(ids)) {
      const result = await this.db
        .updateTable('certificates')
        .set({ accrochageStatus: 'sent', accrochageMessage: null })
        .where('id', 'in', part)
        .where('accrochageStatus', 'in', [...ACCROCHAGE_TO_SEND])
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    return changed;
  }

  /** The certificates with these ids, as a report names them. */
  async findByIds(ids: readonly string[]) {
    const rows = [];
    for (const part of slices(ids))
      rows.push(
        ...(await this.db
          .selectFrom('certificates')
          .select(['id', 'number', 'accrochageStatus', 'accrochageMessage'])
          .where('id', 'in', part)
          .execute()),
      );
    return rows;
  }

  async setStatus(id: string, status: 'accepted' | 'rejected', message: string | null): Promise<void> {
    await this.db
      .updateTable('certificates')
      .set({ accrochageStatus: status, accrochageMessage: message })
      .where('id', '=', id)
      .execute();
  }

  /**
   * The certificates not yet accepted by the CDC and not revoked, oldest first, with the certification code
   * and the holder's organisation; `scope`: only this organisation's candidates (a partner's view).
   */
  notAccepted(scope: string | null, evaluatorId: string | null = null) {
    let q = this.db
      .selectFrom('certificates')
      .innerJoin('candidates', 'candidates.id', 'certificates.candidateId')
      .innerJoin('certifications', 'certifications.id', 'certificates.certificationId')
      .select([
        'certificates.id',
        'certificates.number',
        'certificates.issuedOn',
        'certificates.accrochageStatus',
        'certificates.accrochageMessage',
        'certifications.code as certificationCode',
        'candidates.organisationId',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
      ])
      .where('certificates.accrochageStatus', '<>', 'accepted')
      .where('certificates.revokedAt', 'is', null);
    if (scope !== null) q = q.where('candidates.organisationId', '=', scope);
    if (evaluatorId !== null)
      q = q.where('certificates.id', 'in', evaluatedCertificateIds(this.db, evaluatorId));
    return q.orderBy('certificates.issuedOn').orderBy('certificates.number').execute();
  }
}
