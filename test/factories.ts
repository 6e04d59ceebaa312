import type { Role } from '../src/core/access/policy.js';
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
