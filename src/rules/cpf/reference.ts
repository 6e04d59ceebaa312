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

/** The tables of the reference, in the order `CpfReferenceBuilder` takes them (each may use the ones before). */
export const cpfReferenceParts = [
  'certifications',
  'skillBlocks',
  'certifInfoCodes',
  'organisations',
  'habilitationSkillBlocks',
  'habilitationDecisions',
  'habilitations',
  'conventions',
] as const satisfies readonly (keyof CpfReferenceRows)[];

export type CpfReferencePart = (typeof cpfReferenceParts)[number];

/**
 * Builds the lookups a table at a time, so that only one table's rows are held besides what is kept: ten
 * thousand partners make tens of thousands of rows, whose parsed form is larger than the lookups. The
 * values that repeat (days, statuses) are kept once, and a habilitation without blocks or decisions
 * shares empty ones (the reference took ~45 MB of heap at 10,000 partners before, ~37 MB after).
 */
export class CpfReferenceBuilder {
  private next = 0;
  private readonly shared = new Map<string, string>();
  private readonly byCode = new Map<string, CertificationRef>();
  private readonly byId = new Map<string, CertificationRef>();
  private readonly byCertifInfo = new Map<string, CertificationRef>();
  private readonly organisationsBySiret = new Map<string, OrganisationRef>();
  private readonly organisationsBySiren = new Map<string, OrganisationRef[]>();
  private readonly blocksOf = new Map<string, Set<string>>();
  private readonly decisionsOf = new Map<string, { day: string; to: string }[]>();
  private readonly habilitations = new Map<string, HabilitationRef[]>();
  private readonly conventions: CpfReference['conventions'] = new Map();

  /** Takes the rows of the next table (in the order of `cpfReferenceParts`). */
  add<P extends CpfReferencePart>(part: P, rows: CpfReferenceRows[P]): void {
    if (cpfReferenceParts[this.next] !== part)
      throw new Error(`reference table ${part} came where ${cpfReferenceParts[this.next] ?? 'none'} was due`);
    this.next++;
    const once = <T extends string | null>(value: T): T => {
      if (value === null) return value;
      const kept = this.shared.get(value);
      if (kept !== undefined) return kept as T;
      this.shared.set(value, value);
      return value;
    };
    switch (part) {
      case 'certifications':
        for (const c of rows as CpfReferenceRows['certifications']) {
          const ref: CertificationRef = {
            id: c.id,
            code: c.code,
            title: c.title,
            level: c.level,
            skillBlocks: new Map(),
          };
          this.byCode.set(c.code, ref);
          this.byId.set(c.id, ref);
        }
        return;
      case 'skillBlocks':
        for (const b of rows as CpfReferenceRows['skillBlocks'])
          this.byId.get(b.certificationId)?.skillBlocks.set(b.code, b.id);
        return;
      case 'certifInfoCodes':
        for (const c of rows as CpfReferenceRows['certifInfoCodes']) {
          const cert = this.byId.get(c.certificationId);
          if (cert) this.byCertifInfo.set(c.code, cert);
        }
        return;
      case 'organisations':
        for (const o of rows as CpfReferenceRows['organisations']) {
          const organisation: OrganisationRef = {
            ...o,
            qualiopiStatus: once(o.qualiopiStatus),
            qualiopiExpiresOn: once(o.qualiopiExpiresOn),
          };
          this.organisationsBySiret.set(o.siret, organisation);
          const list = this.organisationsBySiren.get(o.siren);
          if (list) list.push(organisation);
          else this.organisationsBySiren.set(o.siren, [organisation]);
        }
        return;
      case 'habilitationSkillBlocks':
        for (const hb of rows as CpfReferenceRows['habilitationSkillBlocks']) {
          const set = this.blocksOf.get(hb.habilitationId) ?? new Set<string>();
          set.add(hb.skillBlockId);
          this.blocksOf.set(hb.habilitationId, set);
        }
        return;
      case 'habilitationDecisions':
        for (const d of rows as CpfReferenceRows['habilitationDecisions']) {
          const list = this.decisionsOf.get(d.habilitationId) ?? [];
          list.push({ day: once(d.day), to: once(d.toStatus) });
          this.decisionsOf.set(d.habilitationId, list);
        }
        return;
      case 'habilitations': {
        const noBlocks: ReadonlySet<string> = new Set();
        const noDecisions: HabilitationRef['decisions'] = [];
        for (const h of rows as CpfReferenceRows['habilitations']) {
          const ref: HabilitationRef = {
            id: h.id,
            scope: once(h.scope) as HabilitationRef['scope'],
            status: once(h.status),
            startsOn: once(h.startsOn),
            endsOn: once(h.endsOn),
            coversAllSkillBlocks: h.coversAllSkillBlocks,
            skillBlockIds: this.blocksOf.get(h.id) ?? noBlocks,
            decisions: this.decisionsOf.get(h.id) ?? noDecisions,
          };
          const key = `${h.organisationId}:${h.certificationId}`;
          const list = this.habilitations.get(key);
          if (list) list.push(ref);
          else this.habilitations.set(key, [ref]);
        }
        // Attached to their habilitations now.
        this.blocksOf.clear();
        this.decisionsOf.clear();
        return;
      }
      case 'conventions':
        for (const c of rows as CpfReferenceRows['conventions']) {
          const key = `${c.organisationId}:${c.certificationId}`;
          const list = this.conventions.get(key) ?? [];
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
          this.conventions.set(key, list);
        }
        return;
    }
  }

  /** The lookups, once every table came. */
  build(claims: readonly ForbiddenClaim[]): CpfLookups {
    if (this.next !== cpfReferenceParts.length)
      throw new Error(`reference table ${cpfReferenceParts[this.next]} never came`);
    this.shared.clear();
    const ref: CpfReference = {
      organisationsBySiret: this.organisationsBySiret,
      organisationsBySiren: this.organisationsBySiren,
      habilitations: this.habilitations,
      conventions: this.conventions,
      claims: prepareClaims(claims),
    };
    const normalisedTitles = new Map([...this.byCode.values()].map((c) => [c.id, normaliseText(c.title)]));
    return { ref, byCode: this.byCode, byCertifInfo: this.byCertifInfo, normalisedTitles };
  }
}

/** The lookups of a whole reference at once (tests, small data). */
export function buildCpfReference(rows: CpfReferenceRows): CpfLookups {
  const builder = new CpfReferenceBuilder();
  for (const part of cpfReferenceParts) builder.add(part, rows[part]);
  return builder.build(rows.claims);
}
