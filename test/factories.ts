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
