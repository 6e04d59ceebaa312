import { AppError, forbidden, notFound } from '../errors.js';

/**
 * Who may do what. One table, read by every service through `requireAccess`; the web app reads the same
 * table to hide what a role cannot use. Partner users are further scoped to their own organisation
 * (`organisationScope`): whatever belongs to another organisation does not exist for them (not_found).
 */
export const roles = ['admin', 'quality_manager', 'auditor', 'evaluator', 'partner', 'read_only'] as const;
export type Role = (typeof roles)[number];

export const actions = [
  'certifier.read',
  'certifier.manage',
  'user.read',
  'user.manage',
  'organisation.read',
  'organisation.create',
  'organisation.update',
  'organisation.archive',
  'certification.read',
  'certification.manage',
  'habilitation.read',
  'habilitation.manage',
  'convention.read',
  'convention.manage',
  'chain.read',
  'chain.declare',
  'assessment.record',
  'jury.read',
  'jury.manage',
  'certificate.manage',
  'control.read',
  'control.manage',
  'finding.read',
  'finding.manage',
  'finding.answer',
  'sanction.read',
  'sanction.manage',
  'sanction.answer',
  'evidence.read',
  'evidence.upload',
  'audit.read',
  'audit.verify',
  // Declarations of habilitation changes to France Compétences (the certifier's own obligation).
  'declaration.read',
  'declaration.manage',
  // Bulk onboarding of a partner list (creates organisations and habilitation applications).
  'organisation.import',
  // Evidence dossiers, reports, statistics and list exports of the whole network (issue #8).
  'report.read',
  // Invitations of partner users by e-mail link (internal users need user.manage besides).
  'user.invite_partner',
  // Requests to partners ("demandes"): read (a partner, its own), ask and review, answer.
  'request.read',
  'request.manage',
  'request.answer',
] as const;
export type Action = (typeof actions)[number];

const readAll: Action[] = [
  'certifier.read',
  'organisation.read',
  'certification.read',
  'habilitation.read',
  'convention.read',
  'chain.read',
  'jury.read',
  'control.read',
  'finding.read',
  'sanction.read',
  'evidence.read',
  'declaration.read',
  'request.read',
  'report.read',
];

const manageNetwork: Action[] = [
  ...readAll,
  'user.read',
  'organisation.create',
  'organisation.update',
  'organisation.archive',
  'certification.manage',
  'habilitation.manage',
  'convention.manage',
  'chain.declare',
  'assessment.record',
  'jury.manage',
  'certificate.manage',
  'control.manage',
  'finding.manage',
  'sanction.manage',
  'evidence.upload',
  'audit.read',
  'audit.verify',
  'declaration.manage',
  'organisation.import',
  'user.invite_partner',
  'request.manage',
];

export const permissions: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([...manageNetwork, 'certifier.manage', 'user.manage']),
  quality_manager: new Set<Action>(manageNetwork),
  auditor: new Set<Action>([
    ...readAll,
    'control.manage',
    'finding.manage',
    'evidence.upload',
    'audit.read',
    'request.manage',
  ]),
  evaluator: new Set<Action>(['certification.read', 'chain.read', 'assessment.record']),
  // A partner's reads are all scoped to its own organisation (see organisationScope).
  partner: new Set<Action>([
    'organisation.read',
    'certification.read',
    'habilitation.read',
    'convention.read',
    'chain.read',
    'chain.declare',
    'finding.read',
    'finding.answer',
    'sanction.read',
    'sanction.answer',
    'evidence.read',
    'evidence.upload',
    'request.read',
    'request.answer',
  ]),
  read_only: new Set<Action>([...readAll, 'audit.read']),
};

/** Who acts: a signed-in user, or the system (CLI, scheduled jobs) with a label for the audit log. */
export type Actor =
  | { kind: 'user'; userId: string; role: Role; organisationId: string | null; label: string }
  | { kind: 'system'; label: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', label });

export function can(actor: Actor, action: Action): boolean {
  if (actor.kind === 'system') return true;
  return permissions[actor.role].has(action);
}

/** Throws `forbidden` unless the actor's role allows the action. */
export function requireAccess(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw forbidden(`Your role may not do ${action}`);
}

/**
 * The organisation an actor is confined to: a partner's own, or null for certifier staff and the system
 * (no confinement). Repositories filter on it; services never trust an id from a partner without it.
 */
export function organisationScope(actor: Actor): string | null {
  return actor.kind === 'user' && actor.role === 'partner' ? actor.organisationId : null;
}

/**
 * For an entity that belongs to `ownerOrganisationId`: a partner actor from another organisation gets
 * not_found, as if it did not exist (it must not learn that it does).
 */
export function requireInScope(
  actor: Actor,
  entity: string,
  id: string,
  ownerOrganisationId: string | null,
): void {
  const scope = organisationScope(actor);
  if (scope !== null && scope !== ownerOrganisationId) throw notFound(entity, id);
}

export const actorId = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

export const isAppErrorCode = (e: unknown, code: AppError['code']): boolean =>
  e instanceof AppError && e.code === code;
