import type { EvidenceEntityType } from './evidence.schema.js';

/**
 * Who owns what a file is linked to. `organisation`: that organisation's (a partner sees it); `public`:
 * nobody's, anyone who may upload may link to it (a certification); `certifier`: the certifier's internal
 * records, which partners cannot name (juries, certificates).
 */
export type EntityOwner =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'public' }
  | { kind: 'certifier' };

/** How each linkable entity is owned; the repository resolves `organisation` owners from the data. */
export const entityOwnership: Readonly<Record<EvidenceEntityType, EntityOwner['kind']>> = {
  organisation: 'organisation',
  certification: 'public',
  habilitation: 'organisation',
  convention: 'organisation',
  training_session: 'organisation',
  assessment_session: 'organisation',
  candidate: 'organisation',
  jury: 'certifier',
  certificate: 'certifier',
  control: 'organisation',
  finding: 'organisation',
  corrective_action: 'organisation',
  sanction: 'organisation',
  partner_request: 'organisation',
};

/**
 * Why a file may not be linked to an entity, or null when it may. `partnerScope` is the partner's own
 * organisation (null for certifier staff). A partner may link only to its own organisation's records or to
 * public ones, and "not yours" is reported as not found (`hidden`), never as forbidden. A file that belongs
 * to an organisation may not prove something about another one.
 */
export function evidenceLinkRefusal(input: {
  partnerScope: string | null;
  fileOrganisationId: string | null;
  owner: EntityOwner;
}): { kind: 'hidden' } | { kind: 'mismatch'; message: string } | null {
  const { partnerScope, fileOrganisationId, owner } = input;
  if (partnerScope !== null) {
    if (owner.kind === 'certifier') return { kind: 'hidden' };
    if (owner.kind === 'organisation' && owner.organisationId !== partnerScope) return { kind: 'hidden' };
  }
  if (
    owner.kind === 'organisation' &&
    fileOrganisationId !== null &&
    owner.organisationId !== fileOrganisationId
  )
    return { kind: 'mismatch', message: 'the file belongs to another organisation than this record' };
  return null;
}
