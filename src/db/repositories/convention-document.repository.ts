import type { Database } from '../database.js';
import type { EvidenceFileRow } from './evidence.repository.js';

export interface CertifierIdentity {
  name: string;
  siret: string | null;
  nda: string | null;
  address: string | null;
}

export interface SkillBlockOfCertification {
  certificationId: string;
  id: string;
  code: string;
  title: string;
}

export interface HabilitationTerms {
  id: string;
  certificationId: string;
  scope: string;
  coversAllSkillBlocks: boolean;
  status: string;
  startsOn: string;
}

/** Why a generated convention document is linked to its convention (evidence_links.purpose). */
export const GENERATED_CONVENTION_PURPOSE = 'generated_convention';

export class ConventionDocumentRepository {
  constructor(private readonly db: Database) {}

  /** The certifier that runs this instance, when its identity has been recorded. */
  certifier(): Promise<CertifierIdentity | undefined> {
    return this.db
      .selectFrom('certifier')
      .select(['name', 'siret', 'nda', 'address'])
      .where('id', '=', 1)
      .executeTakeFirst();
  }

  /** Every skill block of these certifications, in code order. */
  skillBlocksOf(certificationIds: readonly string[]): Promise<SkillBlockOfCertification[]> {
    if (certificationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('skillBlocks')
      .select(['certificationId', 'id', 'code', 'title'])
      .where('certificationId', 'in', [...certificationIds])
      .orderBy('code')
      .execute();
  }

  /** The organisation's habilitations for these certifications that are not closed, newest first. */
  habilitationsOf(organisationId: string, certificationIds: readonly string[]): Promise<HabilitationTerms[]> {
    if (certificationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('habilitations')
      .select(['id', 'certificationId', 'scope', 'coversAllSkillBlocks', 'status', 'startsOn'])
      .where('organisationId', '=', organisationId)
      .where('certificationId', 'in', [...certificationIds])
      .where('status', 'in', ['application', 'review', 'active', 'under_watch', 'suspended'])
      .orderBy('startsOn', 'desc')
      .execute();
  }

  /** The skill blocks named by these habilitations (those that do not cover all blocks). */
  namedSkillBlocks(
    habilitationIds: readonly string[],
  ): Promise<{ habilitationId: string; skillBlockId: string }[]> {
    if (habilitationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('habilitationSkillBlocks')
      .select(['habilitationId', 'skillBlockId'])
      .where('habilitationId', 'in', [...habilitationIds])
      .execute();
  }

  /** The last document generated for the convention. */
  latestGenerated(conventionId: string): Promise<EvidenceFileRow | undefined> {
    return this.db
      .selectFrom('evidenceFiles')
      .innerJoin('evidenceLinks', 'evidenceLinks.evidenceId', 'evidenceFiles.id')
      .selectAll('evidenceFiles')
      .where('evidenceLinks.entityType', '=', 'convention')
      .where('evidenceLinks.entityId', '=', conventionId)
      .where('evidenceLinks.purpose', '=', GENERATED_CONVENTION_PURPOSE)
      .orderBy('evidenceFiles.uploadedAt', 'desc')
      .orderBy('evidenceFiles.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
