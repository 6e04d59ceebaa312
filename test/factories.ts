import type { Role } from '../src/core/access/policy.js';
import type { CandidateInput } from '../src/core/candidates/candidate.schema.js';
import type { CertificationInput } from '../src/core/certifications/certification.schema.js';
import type { ConventionInput } from '../src/core/conventions/convention.schema.js';
import type { HabilitationInput } from '../src/core/habilitations/habilitation.schema.js';
import type { OrganisationInput } from '../src/core/organisations/organisation.schema.js';
import { luhnIsValid } from '../src/core/validators/identifiers.js';

/** Completes 8 or 13 digits with the Luhn check digit that makes a valid SIREN or SIRET. */
export function withLuhnDigit(digits: string): string {
  for (let d = 0; d <= 9; d++) if (luhnIsValid(`${digits}${d}`)) return `${digits}${d}`;
  throw new Error('unreachable');
}

/** The n-th valid SIRET of a deterministic series: head office (NIC 0001x) of a made-up SIREN. */
export function validSiret(n: number): string {
  const siren = withLuhnDigit(
    String(100_000_000 + n * 7919)
      .slice(1, 9)
      .padStart(8, '1'),
  );
  return withLuhnDigit(`${siren}0001`);
}

let sequence = 0;

/** A valid organisation input a test can read as a real training provider; override what the test is about. */
export function buildOrganisation(overrides: Partial<OrganisationInput> = {}): OrganisationInput {
  sequence++;
  return {
    siret: validSiret(sequence),
    legalName: `Centre de formation ${sequence}`,
    city: 'Lyon',
    postalCode: '69003',
    nda: `84691${String(100000 + sequence).slice(-6)}`,
    qualiopiStatus: 'certified',
    ...overrides,
  };
}

export interface UserSeed {
  email: string;
  displayName: string;
  role: Role;
  organisationId?: string | null;
  password: string;
}

export const TEST_PASSWORD = 'Correct-Horse-42-battery';

export function buildUser(role: Role, overrides: Partial<UserSeed> = {}): UserSeed {
  sequence++;
  return {
    email: `${role.replace('_', '-')}-${sequence}@example.org`,
    displayName: `${role} ${sequence}`,
    role,
    password: TEST_PASSWORD,
    ...overrides,
  };
}

/**
 * A valid certification of the RNCP register with two skill blocks, a fresh code each call (RNCP10001,
 * RNCP10002…): its blocks are `<code>BC01` and `<code>BC02`.
 */
export function buildCertification(overrides: Partial<CertificationInput> = {}): CertificationInput {
  sequence++;
  const code = overrides.code ?? `RNCP${10_000 + sequence}`;
  return {
    code,
    title: `Responsable de formation ${sequence}`,
    level: '6',
    isActive: true,
    isOwned: true,
    registeredOn: '2024-01-15',
    endsOn: '2029-01-15',
    skillBlocks: [
      { code: `${code}BC01`, title: 'Concevoir un dispositif de formation' },
      { code: `${code}BC02`, title: 'Piloter un dispositif de formation' },
    ],
    ...overrides,
  };
}

/** An application for a habilitation to train and evaluate for every skill block, from 2025 on, open-ended. */
export function buildHabilitation(
  organisationId: string,
  certificationId: string,
  overrides: Partial<HabilitationInput> = {},
): HabilitationInput {
  return {
    organisationId,
    certificationId,
    scope: 'both',
    territory: 'Auvergne-Rhône-Alpes',
    startsOn: '2025-01-01',
    reasons: 'Dossier de candidature complet',
    ...overrides,
  };
}

/** A draft convention from 2025 to 2099 with fees, a fresh reference each call. */
export function buildConvention(
  organisationId: string,
  certificationIds: string[],
  overrides: Partial<ConventionInput> = {},
): ConventionInput {
  sequence++;
  return {
    organisationId,
    reference: `CONV-2025-${String(sequence).padStart(4, '0')}`,
    certificationIds,
    startsOn: '2025-01-01',
    endsOn: '2099-12-31',
    feePerCandidateCents: 12_000,
    annualFeeCents: 150_000,
    clauses: { article1: 'Objet de la convention', sanctionScale: ['observation', 'warning', 'suspension'] },
    ...overrides,
  };
}

/**
 * A valid candidate born in Lyon (INSEE 69123), a fresh name each call so that two never look like the same
 * person. Without organisationId: a partner's own organisation, or none for certifier staff.
 */
export function buildCandidate(overrides: Partial<CandidateInput> = {}): CandidateInput {
  sequence++;
  const letters = String(sequence)
    .split('')
    .map((d) => 'abcdefghij'[Number(d)])
    .join('');
  return {
    birthName: `Martin-${letters}`,
    firstNames: 'Camille',
    sex: 'F',
    birthDate: '1995-06-14',
    birthPlaceCode: '69123',
    email: `camille.${sequence}@example.org`,
    accessRoute: 'continuing_training',
    ...overrides,
  };
}

/**
 * A certification with `blocks` skill blocks (`<code>BC01`…) straight in SQL, for suites about the chain rather
 * than about certifications. Blocks come back in code order.
 */
export async function insertChainCertification(
  db: import('../src/db/database.js').Database,
  code: string,
  options: { blocks?: number; level?: string | null } = {},
) {
  const { id } = await db
    .insertInto('certifications')
    .values({ code, register: 'RNCP', title: `Titre ${code}`, level: options.level ?? '6' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const skillBlocks = await db
    .insertInto('skillBlocks')
    .values(
      Array.from({ length: options.blocks ?? 2 }, (_, i) => ({
        certificationId: id,
        code: `${code}BC0${i + 1}`,
        title: `Bloc ${i + 1}`,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  return { id, code, blocks: skillBlocks.sort((a, b) => a.code.localeCompare(b.code)) };
}

/** An active habilitation in SQL (scope both, all blocks, from 2025 on unless said). */
export async function insertActiveHabilitation(
  db: import('../src/db/database.js').Database,
  organisationId: string,
  certificationId: string,
  overrides: { scope?: string; startsOn?: string; endsOn?: string | null; status?: string } = {},
) {
  const { id } = await db
    .insertInto('habilitations')
    .values({
      organisationId,
      certificationId,
      scope: overrides.scope ?? 'both',
      status: overrides.status ?? 'active',
      startsOn: overrides.startsOn ?? '2025-01-01',
      endsOn: overrides.endsOn ?? null,
      coversAllSkillBlocks: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A multipart/form-data body with one file part named `file`, and the content-type header that goes with it. */
export function multipartFile(fileName: string, content: Uint8Array | string, partName = 'file') {
  const boundary = `habilis-test-${++sequence}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${partName}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return {
    payload: Buffer.concat([head, body, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * Plants rows straight into the tables, bypassing the services' checks: the automated controls exist to
 * find what those checks could not stop (imports, later status changes, data entered by hand), so their
 * tests need data the services would refuse. Each call makes fresh, independent rows.
 */
export function controlPlanter(db: import('../src/db/database.js').Database) {
  const insert = async (table: string, values: Record<string, unknown>): Promise<string> => {
    const row = await (db as unknown as import('kysely').Kysely<Record<string, { id: string }>>)
      .insertInto(table)
      .values(values as never)
      .returning('id' as never)
      .executeTakeFirstOrThrow();
    return (row as { id: string }).id;
  };
  const link = (table: string, values: Record<string, unknown>) =>
    (db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(values as never)
      .execute();
  return {
    organisation: (
      o: { legalName?: string; qualiopiStatus?: string; qualiopiExpiresOn?: string | null } = {},
    ) => {
      const seed = buildOrganisation();
      return insert('organisations', {
        siret: seed.siret,
        siren: seed.siret.slice(0, 9),
        legalName: o.legalName ?? seed.legalName,
        qualiopiStatus: o.qualiopiStatus ?? 'certified',
        qualiopiExpiresOn: o.qualiopiExpiresOn ?? null,
      });
    },
    async certification(blockCount = 2) {
      sequence++;
      const code = `RNCP${20_000 + sequence}`;
      const id = await insert('certifications', {
        code,
        register: 'RNCP',
        title: `Certification ${sequence}`,
        isOwned: true,
      });
      const blockIds: string[] = [];
      for (let i = 1; i <= blockCount; i++)
        blockIds.push(
          await insert('skillBlocks', { certificationId: id, code: `${code}BC0${i}`, title: `Bloc ${i}` }),
        );
      return { id, code, blockIds };
    },
    async habilitation(
      organisationId: string,
      certificationId: string,
      o: {
        scope?: string;
        status?: string;
        startsOn?: string;
        endsOn?: string | null;
        blockIds?: string[];
        conditions?: Record<string, unknown>;
        decisions?: { to: string; at: string }[];
      } = {},
    ) {
      const id = await insert('habilitations', {
        organisationId,
        certificationId,
        scope: o.scope ?? 'both',
        status: o.status ?? 'active',
        startsOn: o.startsOn ?? '2024-01-01',
        endsOn: o.endsOn ?? null,
        coversAllSkillBlocks: !o.blockIds,
        conditions: JSON.stringify(o.conditions ?? {}),
      });
      for (const skillBlockId of o.blockIds ?? [])
        await link('habilitationSkillBlocks', { habilitationId: id, skillBlockId });
      for (const d of o.decisions ?? [])
        await link('habilitationDecisions', {
          habilitationId: id,
          toStatus: d.to,
          reasons: 'test',
          decidedAt: new Date(d.at),
        });
      return id;
    },
    async convention(
      organisationId: string,
      certificationIds: string[],
      o: {
        status?: string;
        startsOn?: string;
        endsOn?: string | null;
        signedOn?: string | null;
        terminatedOn?: string;
      } = {},
    ) {
      sequence++;
      const status = o.status ?? 'signed';
      const id = await insert('conventions', {
        organisationId,
        reference: `CONV-T-${sequence}`,
        status,
        startsOn: o.startsOn ?? '2024-01-01',
        endsOn: o.endsOn === undefined ? '2099-12-31' : o.endsOn,
        signedOn:
          o.signedOn === undefined
            ? status === 'draft' || status === 'sent'
              ? null
              : '2023-12-15'
            : o.signedOn,
        ...(o.terminatedOn ? { terminatedOn: o.terminatedOn, terminationReasons: 'test' } : {}),
      });
      for (const certificationId of certificationIds)
        await link('conventionCertifications', { conventionId: id, certificationId });
      return id;
    },
    candidate(
      organisationId: string | null,
      o: { birthName?: string; firstNames?: string; birthDate?: string } = {},
    ) {
      const seed = buildCandidate();
      return insert('candidates', {
        organisationId,
        birthName: o.birthName ?? seed.birthName,
        firstNames: o.firstNames ?? seed.firstNames,
        birthDate: o.birthDate ?? seed.birthDate,
      });
    },
    user(o: { displayName: string; role?: string; organisationId?: string | null }) {
      sequence++;
      return insert('users', {
        email: `planted-${sequence}@example.org`,
        displayName: o.displayName,
        role: o.role ?? (o.organisationId ? 'partner' : 'evaluator'),
        organisationId: o.organisationId ?? null,
      });
    },
    async trainingSession(
      organisationId: string,
      certificationId: string,
      o: {
        startsOn?: string;
        endsOn?: string;
        hours?: number | null;
        funding?: string | null;
        trainers?: string[];
        blockIds?: string[];
        candidateIds?: string[];
      } = {},
    ) {
      const id = await insert('trainingSessions', {
        organisationId,
        certificationId,
        startsOn: o.startsOn ?? '2026-09-01',
        endsOn: o.endsOn ?? '2026-10-15',
        hours: o.hours === undefined ? 150 : o.hours,
        modality: 'in_person',
        funding: o.funding === undefined ? 'cpf' : o.funding,
        trainers: o.trainers ?? [],
      });
      for (const skillBlockId of o.blockIds ?? [])
        await link('trainingSessionSkillBlocks', { trainingSessionId: id, skillBlockId });
      for (const candidateId of o.candidateIds ?? [])
        await link('trainingEnrolments', { trainingSessionId: id, candidateId });
      return id;
    },
    async assessmentSession(
      certificationId: string,
      organiserId: string | null,
      o: {
        startsAt?: string;
        declaredAt?: string;
        status?: string;
        candidateIds?: string[];
        evaluatorIds?: string[];
      } = {},
    ) {
      const startsAt = new Date(o.startsAt ?? '2026-10-20T09:00:00+02:00');
      const id = await insert('assessmentSessions', {
        certificationId,
        organiserId,
        startsAt,
        status: o.status ?? 'held',
        declaredAt: new Date(o.declaredAt ?? startsAt.getTime() - 30 * 86_400_000),
      });
      for (const candidateId of o.candidateIds ?? [])
        await link('assessmentSessionCandidates', { assessmentSessionId: id, candidateId });
      for (const userId of o.evaluatorIds ?? [])
        await link('assessmentSessionEvaluators', { assessmentSessionId: id, userId });
      return id;
    },
    result(
      assessmentSessionId: string,
      candidateId: string,
      o: {
        blockId?: string | null;
        task?: string | null;
        score?: number | null;
        maxScore?: number | null;
        decision?: string;
        recordedAt?: string;
      } = {},
    ) {
      return insert('assessmentResults', {
        assessmentSessionId,
        candidateId,
        skillBlockId: o.blockId ?? null,
        assessmentTask: o.task ?? null,
        score: o.score ?? null,
        maxScore: o.maxScore ?? null,
        decision: o.decision ?? 'passed',
        ...(o.recordedAt ? { recordedAt: new Date(o.recordedAt) } : {}),
      });
    },
    jury(certificationId: string, o: { meetsOn?: string; status?: string; minutesId?: string | null } = {}) {
      return insert('juries', {
        certificationId,
        meetsOn: o.meetsOn ?? '2026-10-30',
        status: o.status ?? 'deliberated',
        minutesId: o.minutesId ?? null,
      });
    },
    async deliberation(
      juryId: string,
      candidateId: string,
      o: { decision?: string; decidedAt?: string; blockIds?: string[] } = {},
    ) {
      const id = await insert('deliberations', {
        juryId,
        candidateId,
        decision: o.decision ?? 'certified',
        decidedAt: new Date(o.decidedAt ?? '2026-10-30T14:00:00+01:00'),
      });
      for (const skillBlockId of o.blockIds ?? [])
        await link('deliberationSkillBlocks', { deliberationId: id, skillBlockId });
      return id;
    },
    certificate(
      deliberationId: string,
      candidateId: string,
      certificationId: string,
      o: { issuedOn?: string; accrochageStatus?: string } = {},
    ) {
      sequence++;
      return insert('certificates', {
        number: `CERT-T-${sequence}`,
        deliberationId,
        candidateId,
        certificationId,
        issuedOn: o.issuedOn ?? '2026-11-02',
        verificationCode: `VERIF-T-${sequence}`,
        accrochageStatus: o.accrochageStatus ?? 'pending',
      });
    },
    async evidence(
      entityType: string,
      entityId: string,
      purpose: string,
      organisationId: string | null = null,
    ) {
      sequence++;
      const evidenceId = await insert('evidenceFiles', {
        sha256: String(sequence).padStart(64, '0'),
        fileName: `${purpose}.pdf`,
        mediaType: 'application/pdf',
        sizeBytes: 1,
        organisationId,
      });
      await link('evidenceLinks', { evidenceId, entityType, entityId, purpose });
      return evidenceId;
    },
  };
}
export type ControlPlanter = ReturnType<typeof controlPlanter>;
