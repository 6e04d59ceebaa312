import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { CertificateListQuery } from '../../core/certificates/certificate.schema.js';
import type { Database } from '../database.js';
import type { CertificatesTable } from '../schema.js';
import { evaluatedCertificateIds } from './evaluator-scope.js';

export type CertificateRow = Selectable<CertificatesTable> & {
  candidateOrganisationId: string | null;
  holderBirthName: string;
  holderUsageName: string | null;
  holderFirstNames: string;
  certificationCode: string;
};

/** Arbitrary constant: with the year, the advisory lock that serialises numbering within a year. */
const CERTIFICATE_NUMBER_LOCK = 7_263_002;

export class CertificateRepository {
  constructor(private readonly db: Database) {}

  private selectCertificates() {
    return this.db
      .selectFrom('certificates')
      .innerJoin('candidates', 'candidates.id', 'certificates.candidateId')
      .innerJoin('certifications', 'certifications.id', 'certificates.certificationId')
      .selectAll('certificates')
      .select([
        'candidates.organisationId as candidateOrganisationId',
        'candidates.birthName as holderBirthName',
        'candidates.usageName as holderUsageName',
        'candidates.firstNames as holderFirstNames',
        'certifications.code as certificationCode',
      ]);
  }

  findById(id: string): Promise<CertificateRow | undefined> {
    return this.selectCertificates().where('certificates.id', '=', id).executeTakeFirst();
  }

  /** Whether the evaluator may read this certificate (see evaluator-scope). */
  async isVisibleToEvaluator(id: string, evaluatorId: string): Promise<boolean> {
    const row = await evaluatedCertificateIds(this.db, evaluatorId)
      .where('certificates.id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The certificate already issued (and not revoked) from a deliberation, if any. */
  findLiveByDeliberation(deliberationId: string) {
    return this.db
      .selectFrom('certificates')
      .select(['id', 'number'])
      .where('deliberationId', '=', deliberationId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
  }

  /**
   * `scope`: only certificates of this organisation's candidates (a partner's view); `evaluatorId`: only
   * those of the candidates this evaluator assesses, for that certification (an evaluator's view); null: all.
   */
  async list(query: CertificateListQuery, scope: string | null, evaluatorId: string | null = null) {
    let base = this.selectCertificates();
    if (scope !== null) base = base.where('candidates.organisationId', '=', scope);
    if (evaluatorId !== null)
      base = base.where('certificates.id', 'in', evaluatedCertificateIds(this.db, evaluatorId));
    if (query.certificationId) base = base.where('certificates.certificationId', '=', query.certificationId);
    if (query.candidateId) base = base.where('certificates.candidateId', '=', query.candidateId);
    if (query.year) base = base.where('certificates.number', 'like', `${query.year}-%`);
    const [items, count] = await Promise.all([
      base
        .orderBy('certificates.issuedOn', 'desc')
        .orderBy('certificates.number', 'desc')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /**
   * Locks the numbering of `year` until the end of the transaction and returns the highest number issued
   * that year. Must run inside the transaction that inserts the next certificate.
   */
  async lockYearAndFindHighest(year: number): Promise<string | undefined> {
    await sql`select pg_advisory_xact_lock(${CERTIFICATE_NUMBER_LOCK}::int, ${year}::int)`.execute(this.db);
    const row = await this.db
      .selectFrom('certificates')
      .select('number')
      .where(sql<boolean>`number ~ ${`^${year}-[0-9]{6}$`}`)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.number;
  }

  async insert(row: Insertable<CertificatesTable>): Promise<string> {
    const inserted = await this.db
      .insertInto('certificates')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  async update(id: string, changes: Updateable<CertificatesTable>): Promise<void> {
    await this.db.updateTable('certificates').set(changes).where('id', '=', id).execute();
  }

  /** A certificate by its verification code, with what a public check shows. */
  findForVerification(codes: readonly string[]) {
    return this.db
      .selectFrom('certificates')
      .innerJoin('candidates', 'candidates.id', 'certificates.candidateId')
      .innerJoin('certifications', 'certifications.id', 'certificates.certificationId')
      .select([
        'certificates.id',
        'certificates.number',
        'certificates.deliberationId',
        'certificates.issuedOn',
        'certificates.revokedAt',
        'certificates.disclosure',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
        'certifications.code as certificationCode',
        'certifications.title as certificationTitle',
      ])
      .where('certificates.verificationCode', 'in', [...codes])
      .executeTakeFirst();
  }

  /** What a certificate document prints: the holder's identity and the certification. */
  findForDocument(id: string) {
    return this.db
      .selectFrom('certificates')
      .innerJoin('candidates', 'candidates.id', 'certificates.candidateId')
      .innerJoin('certifications', 'certifications.id', 'certificates.certificationId')
      .select([
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
        'candidates.birthDate',
        'certifications.code as certificationCode',
        'certifications.title as certificationTitle',
        'certifications.level as certificationLevel',
      ])
      .where('certificates.id', '=', id)
      .executeTakeFirst();
  }

  /** The blocks deliberations validated (certification by blocks), in code order, for several at once. */
  validatedSkillBlocks(deliberationIds: readonly string[]) {
    if (deliberationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('deliberationSkillBlocks')
      .innerJoin('skillBlocks', 'skillBlocks.id', 'deliberationSkillBlocks.skillBlockId')
      .select([
        'deliberationSkillBlocks.deliberationId',
        'skillBlocks.id',
        'skillBlocks.code',
        'skillBlocks.title',
      ])
      .where('deliberationSkillBlocks.deliberationId', 'in', [...deliberationIds])
      .orderBy('skillBlocks.code')
      .execute();
  }

  deliberationWithJury(deliberationId: string) {
    return this.db
      .selectFrom('deliberations')
      .innerJoin('juries', 'juries.id', 'deliberations.juryId')
      .select([
        'deliberations.id',
        'deliberations.candidateId',
        'deliberations.decision',
        'deliberations.juryId',
        'juries.certificationId',
        'juries.meetsOn as juryMeetsOn',
        'juries.status as juryStatus',
      ])
      .where('deliberations.id', '=', deliberationId)
      .executeTakeFirst();
  }
}
