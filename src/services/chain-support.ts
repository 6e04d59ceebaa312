import { type Actor, organisationScope } from '../core/access/policy.js';
import { type FieldIssue, forbidden, validationFailed } from '../core/errors.js';
import type { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';

/** Small helpers shared by the chain and control services (candidates to sanctions). */

/** Today's date (UTC), ISO `YYYY-MM-DD`, from the service clock. */
export const todayOf = (now: () => Date): string => now().toISOString().slice(0, 10);

export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The evaluator an actor is confined to, else null: an evaluator reads only what relates to the assessment
 * sessions it is assigned to (db/repositories/evaluator-scope); anything else is not found.
 */
export const evaluatorScope = (actor: Actor): string | null =>
  actor.kind === 'user' && actor.role === 'evaluator' ? actor.userId : null;

/** The certification a body names, or a 400 on that field: an unknown id is an input error. */
export async function requireCertification(
  refs: ChainReferenceRepository,
  id: string,
  field = 'certificationId',
) {
  const certification = await refs.findCertification(id);
  if (!certification) throw validationFailed([{ field, message: `no certification ${id}` }]);
  return certification;
}

/**
 * The skill blocks of a certification that a body names, in code order; a 400 naming each id (by its index in
 * the list) that is not a block of that certification.
 */
export async function requireSkillBlocksOf(
  refs: ChainReferenceRepository,
  certificationId: string,
  ids: readonly string[],
  field = 'skillBlockIds',
) {
  const all = await refs.skillBlocksOf(certificationId);
  const byId = new Map(all.map((b) => [b.id, b]));
  const issues: FieldIssue[] = [];
  ids.forEach((id, i) => {
    if (!byId.has(id))
      issues.push({ field: `${field}/${i}`, message: `not a skill block of this certification` });
  });
  if (issues.length) throw validationFailed(issues);
  return { all, chosen: all.filter((b) => ids.includes(b.id)) };
}

/**
 * The candidates a body names, all of `organisationId` (null: any organisation). An id that does not exist
 * and one of another organisation get the same answer, so a partner learns nothing of others' candidates.
 */
export async function requireCandidates(
  refs: ChainReferenceRepository,
  ids: readonly string[],
  organisationId: string | null,
  field = 'candidateIds',
) {
  const found = await refs.candidatesByIds(ids, organisationId ?? undefined);
  const known = new Set(found.map((c) => c.id));
  const issues: FieldIssue[] = [];
  ids.forEach((id, i) => {
    if (!known.has(id))
      issues.push({
        field: `${field}/${i}`,
        message: organisationId ? `no candidate ${id} in this organisation` : `no candidate ${id}`,
      });
  });
  if (issues.length) throw validationFailed(issues);
  return found;
}

/**
 * The organisation a declaration is for. A partner declares for its own organisation only: leaving it out
 * means its own, naming another is refused (without looking it up, so nothing is learnt about it).
 * Certifier staff name the organisation, or leave it out (null).
 */
export function declaringOrganisation(actor: Actor, given: string | null | undefined): string | null {
  const scope = organisationScope(actor);
  if (scope === null) return given ?? null;
  if (given != null && given !== scope) throw forbidden('A partner declares for its own organisation only');
  return scope;
}
