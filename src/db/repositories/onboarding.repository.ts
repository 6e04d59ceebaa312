import type { Database } from '../database.js';

export interface KnownOrganisation {
  id: string;
  siret: string;
  legalName: string;
  archivedAt: Date | null;
}

export interface KnownCertification {
  id: string;
  code: string;
  isActive: boolean;
}

export interface ExistingHabilitation {
  id: string;
  organisationId: string;
  certificationId: string;
  scope: string;
  startsOn: string;
  endsOn: string | null;
  status: string;
}

/** Reads a partner-list import needs in bulk (one query per kind, not one per row). */
export class OnboardingRepository {
  constructor(private readonly db: Database) {}

  organisationsBySirets(sirets: readonly string[]): Promise<KnownOrganisation[]> {
    if (sirets.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('organisations')
      .select(['id', 'siret', 'legalName', 'archivedAt'])
      .where('siret', 'in', [...sirets])
      .execute();
  }

  certificationsByCodes(codes: readonly string[]): Promise<KnownCertification[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('certifications')
      .select(['id', 'code', 'isActive'])
      .where('code', 'in', [...codes])
      .execute();
  }

  habilitationsOf(organisationIds: readonly string[]): Promise<ExistingHabilitation[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('habilitations')
      .select(['id', 'organisationId', 'certificationId', 'scope', 'startsOn', 'endsOn', 'status'])
      .where('organisationId', 'in', [...organisationIds])
      .execute();
  }

  /** Locks the organisations' rows until the end of the transaction (as habilitation changes do). */
  async lockOrganisations(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .selectFrom('organisations')
      .select('id')
      .where('id', 'in', [...ids])
      .orderBy('id')
      .forUpdate()
      .execute();
  }
}
