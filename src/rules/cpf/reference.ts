import {
  type ForbiddenClaim,
  normaliseText,
  prepareClaims,
  priceBoundsOf,
} from '../../core/cpf-offers/communication.js';
import type { CertificationRef, CpfReference, HabilitationRef, OrganisationRef } from './check-offer.js';

/**
 * What the CPF import reads of the database before the catalogue: plain rows (they cross to the import's
 * worker thread as they are), turned into the lookups of `CpfReference` by `buildCpfReference`.
 */
export interface CpfReferenceRows {
  certifications: { id: string; code: string; title: string; level: string | null }[];
  skillBlocks: { id: string; certificationId: string; code: string }[];
  certifInfoCodes: { code: string; certificationId: string }[];
  organisations: OrganisationRef[];
  habilitations: {
    id: string;
    organisationId: string;
    certificationId: string;
    scope: string;
    status: string;
    startsOn: string;
    endsOn: string | null;
    coversAllSkillBlocks: boolean;
  }[];
  habilitationSkillBlocks: { habilitationId: string; skillBlockId: string }[];
  /** In time order per habilitation. */
  habilitationDecisions: { habilitationId: string; day: string; toStatus: string }[];
  conventions: {
    id: string;
    organisationId: string;
    certificationId: string;
    reference: string;
    status: string;
    startsOn: string;
    endsOn: string | null;
    signedOn: string | null;
    terminatedOn: string | null;
    clauses: Record<string, unknown>;
  }[];
  claims: ForbiddenClaim[];
}

/** The lookups the checks of one import use, with the certifications by code and by certif-info code. */
export interface CpfLookups {
  ref: CpfReference;
  byCode: Map<string, CertificationRef>;
  byCertifInfo: Map<string, CertificationRef>;
  /** Certification id → its normalised title (compared with every offer's title). */
  normalisedTitles: Map<string, string>;
}

export function buildCpfReference(rows: CpfReferenceRows): CpfLookups {
  // Ten thousand partners make tens of thousands of rows, held for the whole import: the values that
  // repeat (days, statuses) are kept once, and a habilitation without blocks or decisions shares empty
  // ones (the reference took ~45 MB of heap at 10,000 partners before, ~37 MB after).
  const shared = new Map<string, string>();
  const once = <T extends string | null>(value: T): T => {
    if (value === null) return value;
    const kept = shared.get(value);
    if (kept !== undefined) return kept as T;
    shared.set(value, value);
    return value;
  };

  const byCode = new Map<string, CertificationRef>();
  const byId = new Map<string, CertificationRef>();
  for (const c of rows.certifications) {
    const ref: CertificationRef = {
      id: c.id,
      code: c.code,
      title: c.title,
      level: c.level,
      skillBlocks: new Map(),
    };
    byCode.set(c.code, ref);
    byId.set(c.id, ref);
  }
  for (const b of rows.skillBlocks) byId.get(b.certificationId)?.skillBlocks.set(b.code, b.id);
  const byCertifInfo = new Map<string, CertificationRef>();
  for (const c of rows.certifInfoCodes) {
    const cert = byId.get(c.certificationId);
    if (cert) byCertifInfo.set(c.code, cert);
  }

  const organisationsBySiret = new Map<string, OrganisationRef>();
  const organisationsBySiren = new Map<string, OrganisationRef[]>();
  for (const o of rows.organisations) {
    organisationsBySiret.set(o.siret, o);
    const list = organisationsBySiren.get(o.siren);
    if (list) list.push(o);
    else organisationsBySiren.set(o.siren, [o]);
  }

  const blocksOf = new Map<string, Set<string>>();
  for (const hb of rows.habilitationSkillBlocks) {
    const set = blocksOf.get(hb.habilitationId) ?? new Set<string>();
    set.add(hb.skillBlockId);
    blocksOf.set(hb.habilitationId, set);
  }
  const decisionsOf = new Map<string, { day: string; to: string }[]>();
  for (const d of rows.habilitationDecisions) {
    const list = decisionsOf.get(d.habilitationId) ?? [];
    list.push({ day: once(d.day), to: once(d.toStatus) });
    decisionsOf.set(d.habilitationId, list);
  }
  const noBlocks: ReadonlySet<string> = new Set();
  const noDecisions: HabilitationRef['decisions'] = [];
  const habilitations = new Map<string, HabilitationRef[]>();
  for (const h of rows.habilitations) {
    const ref: HabilitationRef = {
      id: h.id,
      scope: once(h.scope) as HabilitationRef['scope'],
      status: once(h.status),
      startsOn: once(h.startsOn),
      endsOn: once(h.endsOn),
      coversAllSkillBlocks: h.coversAllSkillBlocks,
      skillBlockIds: blocksOf.get(h.id) ?? noBlocks,
      decisions: decisionsOf.get(h.id) ?? noDecisions,
    };
    const key = `${h.organisationId}:${h.certificationId}`;
    const list = habilitations.get(key);
    if (list) list.push(ref);
    else habilitations.set(key, [ref]);
  }

  const conventions: CpfReference['conventions'] = new Map();
  for (const c of rows.conventions) {
    const key = `${c.organisationId}:${c.certificationId}`;
    const list = conventions.get(key) ?? [];
    list.push({
      id: c.id,
      reference: c.reference,
      status: once(c.status),
      startsOn: once(c.startsOn),
      endsOn: once(c.endsOn),
      signedOn: once(c.signedOn),
      terminatedOn: once(c.terminatedOn),
      priceBounds: priceBoundsOf(c.clauses),
    });
    conventions.set(key, list);
  }

  const ref: CpfReference = {
    organisationsBySiret,
    organisationsBySiren,
    habilitations,
    conventions,
    claims: prepareClaims(rows.claims),
  };
  const normalisedTitles = new Map([...byCode.values()].map((c) => [c.id, normaliseText(c.title)]));
  return { ref, byCode, byCertifInfo, normalisedTitles };
}
