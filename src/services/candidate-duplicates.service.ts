import { type Actor, requireAccess } from '../core/access/policy.js';
import {
  type DuplicateGroup,
  type DuplicateListQuery,
  type DuplicatePage,
  duplicateListQuery,
} from '../core/contracts/chain-uploads.js';
import { forbidden } from '../core/errors.js';
import { CandidateRepository } from '../db/repositories/candidate.repository.js';
import { firstFirstName, identityKey, normaliseName } from '../importers/chain-upload/identity.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/**
 * Possible duplicates across partners: candidates of different organisations (or one attached to none) with
 * the same normalised birth name, first first name and birth date — likely one person declared twice, which
 * would give two certificates and two accrochage records. Only certifier staff compare across partners.
 */
export class CandidateDuplicatesService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: unknown): Promise<DuplicatePage> {
    requireAccess(actor, 'jury.read');
    // Partners never have jury.read; this keeps the rule should the table change.
    if (actor.kind === 'user' && actor.role === 'partner') throw forbidden();
    const q: DuplicateListQuery = parseInput(duplicateListQuery, query);
    const rows = await new CandidateRepository(this.ctx.db).findSharingBirthDateAcrossOrganisations();
    const groups = new Map<string, typeof rows>();
    for (const row of rows) {
      const key = identityKey(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const items: DuplicateGroup[] = [];
    for (const members of groups.values()) {
      const organisations = new Set(members.map((m) => m.organisationId ?? '-'));
      if (organisations.size < 2) continue;
      const first = members[0]!;
      items.push({
        birthName: normaliseName(first.birthName).toUpperCase(),
        firstName: firstFirstName(first.firstNames),
        birthDate: first.birthDate!,
        candidates: members.map((m) => ({
          id: m.id,
          organisationId: m.organisationId,
          organisationName: m.organisationName,
          birthName: m.birthName,
          usageName: m.usageName,
          firstNames: m.firstNames,
          birthDate: m.birthDate,
          email: m.email,
          createdAt: m.createdAt.toISOString(),
        })),
      });
    }
    items.sort((a, b) => a.birthName.localeCompare(b.birthName) || a.birthDate.localeCompare(b.birthDate));
    return {
      items: items.slice(q.offset, q.offset + q.limit),
      total: items.length,
      limit: q.limit,
      offset: q.offset,
    };
  }
}
