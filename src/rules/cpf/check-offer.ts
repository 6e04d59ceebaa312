import {
  type ClaimFound,
  type CpfOfferVerdict,
  type CpfRuleId,
  compareTitles,
  cpfRules,
  findClaims,
  normaliseText,
  type PreparedClaim,
  skillBlocksNamed,
  type TitleComparison,
} from '../../core/cpf-offers/communication.js';
import type { CpfOffer } from '../../core/cpf-offers/cpf-offer.schema.js';
import { TextArena } from '../../core/text-arena.js';

/**
 * The communication rules applied to one CPF offer, in memory, against the certifier's reference data
 * (certifications, organisations, habilitations with their decisions, conventions) loaded once per import.
 * Pure: the service streams the catalogue through `checkOffer` and writes what `FindingCollector` gathers
 * as ordinary findings. See docs/communication-control.md.
 */

export interface CertificationRef {
  id: string;
  code: string;
  title: string;
  level: string | null;
  /** Skill-block code → id. */
  skillBlocks: Map<string, string>;
}

export interface OrganisationRef {
  id: string;
  siret: string;
  siren: string;
  legalName: string;
  qualiopiStatus: string;
  qualiopiExpiresOn: string | null;
}

export interface HabilitationRef {
  id: string;
  scope: 'train' | 'evaluate' | 'both';
  status: string;
  startsOn: string;
  endsOn: string | null;
  coversAllSkillBlocks: boolean;
  skillBlockIds: ReadonlySet<string>;
  /** Status decisions in time order: the status on a day is the last one decided by then. */
  decisions: readonly { day: string; to: string }[];
}

export interface ConventionRef {
  id: string;
  reference: string;
  status: string;
  startsOn: string;
  endsOn: string | null;
  signedOn: string | null;
  terminatedOn: string | null;
  priceBounds: { minCents: number | null; maxCents: number | null } | null;
}

export interface CpfReference {
  organisationsBySiret: Map<string, OrganisationRef>;
  organisationsBySiren: Map<string, OrganisationRef[]>;
  /** Key `<organisationId>:<certificationId>`: granted habilitations (not applications). */
  habilitations: Map<string, HabilitationRef[]>;
  /** Key `<organisationId>:<certificationId>`: conventions covering the certification. */
  conventions: Map<string, ConventionRef[]>;
  claims: readonly PreparedClaim[];
}

/** One problem an offer shows, before it is gathered into a finding. */
export interface OfferHit {
  ruleId: CpfRuleId;
  subjectKey: string;
  organisationId: string | null;
  /** Null for a finding about the organisation as a whole (Qualiopi). */
  certificationId: string | null;
  /** French: the finding's title and what this offer shows. */
  title: string;
  detail: string;
  /** What the rule measured (statuses, distance, claims, bounds). */
  facts: Record<string, unknown>;
  severity?: 'minor' | 'major' | 'critical';
}

export interface OfferCheck {
  organisation: OrganisationRef | null;
  matchedBy: 'siret' | 'siren' | null;
  verdict: CpfOfferVerdict;
  hits: OfferHit[];
}

const GRANTED_OUT = new Set(['application', 'review']);
const ACTIVE = new Set(['active', 'under_watch']);

/** The status of a habilitation on a day: its last decision by then, else its current status. */
export function statusOn(h: HabilitationRef, day: string): string {
  let status: string | null = null;
  for (const d of h.decisions) {
    if (d.day > day) break;
    status = d.to;
  }
  return status ?? h.status;
}

function isActiveOn(h: HabilitationRef, day: string): boolean {
  return ACTIVE.has(statusOn(h, day)) && h.startsOn <= day && (h.endsOn === null || day <= h.endsOn);
}

function inForce(c: ConventionRef, day: string): boolean {
  if (c.signedOn === null || c.signedOn > day) return false;
  if (c.status === 'draft' || c.status === 'sent') return false;
  if (c.terminatedOn !== null && day >= c.terminatedOn) return false;
  return c.startsOn <= day && (c.endsOn === null || day <= c.endsOn);
}

const frenchAmount = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const euros = (cents: number) => `${frenchAmount.format(cents / 100)} €`;

/** What the offers of one seller and one certification share on a day. */
interface PairFacts {
  /** Granted habilitations (not applications). */
  granted: HabilitationRef[];
  active: HabilitationRef[];
  training: HabilitationRef[];
  /** Conventions in force that set price bounds. */
  bounds: ConventionRef[];
}

function pairFacts(
  ref: CpfReference,
  organisation: OrganisationRef,
  certification: CertificationRef,
  day: string,
): PairFacts {
  const key = `${organisation.id}:${certification.id}`;
  const granted = (ref.habilitations.get(key) ?? []).filter(
    (h) => !GRANTED_OUT.has(h.status) || h.decisions.some((d) => !GRANTED_OUT.has(d.to)),
  );
  const active = granted.filter((h) => isActiveOn(h, day));
  return {
    granted,
    active,
    training: active.filter((h) => h.scope !== 'evaluate'),
    bounds: (ref.conventions.get(key) ?? []).filter((c) => c.priceBounds !== null && inForce(c, day)),
  };
}

/**
 * Titles compared, by certification: offers repeat their titles (a seller sells one course in many
 * places, sellers copy the exact title). A few hundred per certification, so memory stays bounded.
 */
const titleCache = new WeakMap<CertificationRef, { exact: string; titles: Map<string, TitleComparison> }>();
const TITLES_KEPT = 256;

function compareTitleOf(
  offerTitle: string,
  certification: CertificationRef,
  normalisedCertificationTitle: string | undefined,
): TitleComparison {
  const exact = normalisedCertificationTitle ?? certification.title;
  let cache = titleCache.get(certification);
  if (!cache || cache.exact !== exact) {
    cache = { exact, titles: new Map() };
    titleCache.set(certification, cache);
  }
  let comparison = cache.titles.get(offerTitle);
  if (comparison === undefined) {
    if (cache.titles.size >= TITLES_KEPT) cache.titles.clear();
    comparison = compareTitles(offerTitle, certification.title, normalisedCertificationTitle);
    cache.titles.set(offerTitle, comparison);
  }
  return comparison;
}

/**
 * The seller of an offer: the organisation with its SIRET, else one with its SIREN (another establishment
 * of the same company), preferring one habilitated for the certification.
 */
export function sellerOf(
  offer: Pick<CpfOffer, 'siret' | 'siren'>,
  certificationId: string,
  ref: CpfReference,
): { organisation: OrganisationRef | null; matchedBy: 'siret' | 'siren' | null } {
  const exact = ref.organisationsBySiret.get(offer.siret);
  if (exact) return { organisation: exact, matchedBy: 'siret' };
  const sameCompany = ref.organisationsBySiren.get(offer.siren) ?? [];
  if (sameCompany.length === 0) return { organisation: null, matchedBy: null };
  const habilitated = sameCompany.find((o) => ref.habilitations.has(`${o.id}:${certificationId}`));
  return { organisation: habilitated ?? (sameCompany[0] as OrganisationRef), matchedBy: 'siren' };
}

/**
 * Checks one offer that names `certification`, on `day` (its extraction date). Findings are keyed by
 * seller and certification (Qualiopi: by organisation), so that one finding gathers all of a seller's
 * offers with the same problem and one request to the partner covers them. The communication rules
 * (title, claims, price, skill block) apply to known organisations only: an unknown seller's offers are
 * all in its no-habilitation finding.
 */
export function checkOffer(
  offer: CpfOffer,
  certification: CertificationRef,
  day: string,
  ref: CpfReference,
  normalisedCertificationTitle?: string,
): OfferCheck {
  const hits: OfferHit[] = [];
  const { organisation, matchedBy } = sellerOf(offer, certification.id, ref);
  const seller = organisation?.legalName ?? offer.organisationName ?? offer.siret;
  const subjectOf = (rule: CpfRuleId) => ({
    ruleId: rule,
    subjectKey: organisation
      ? `organisation:${organisation.id}:${certification.id}`
      : `siret:${offer.siret}:${certification.id}`,
    organisationId: organisation?.id ?? null,
    certificationId: certification.id,
  });

  if (organisation === null) {
    hits.push({
      ...subjectOf('cpf.seller-not-habilitated'),
      title: `${seller} (SIRET ${offer.siret}) vend ${certification.code} sans habilitation`,
      detail: 'organisme inconnu de Habilis (ni son SIRET ni son SIREN)',
      facts: { verdict: 'unknown_seller' },
    });
    return { organisation, matchedBy, verdict: 'unknown_seller', hits };
  }

  const { granted, active, training, bounds } = pairFacts(ref, organisation, certification, day);
  let verdict: CpfOfferVerdict;
  if (granted.length === 0) {
    verdict = 'not_habilitated';
    hits.push({
      ...subjectOf('cpf.seller-not-habilitated'),
      title: `${seller} vend ${certification.code} sans habilitation`,
      detail: `aucune habilitation accordée pour ${certification.code}${matchedBy === 'siren' ? ' (reconnu par son SIREN)' : ''}`,
      facts: { verdict: 'not_habilitated', matchedBy },
    });
  } else if (active.length === 0) {
    verdict = 'inactive';
    const statuses = granted.map((h) => ({
      habilitationId: h.id,
      statusOnDay: statusOn(h, day),
      startsOn: h.startsOn,
      endsOn: h.endsOn,
    }));
    const words = statuses.map((s) =>
      s.startsOn > day
        ? `pas encore commencée (début le ${s.startsOn})`
        : s.endsOn !== null && s.endsOn < day
          ? `échue le ${s.endsOn}`
          : `au statut ${s.statusOnDay}`,
    );
    hits.push({
      ...subjectOf('cpf.habilitation-inactive'),
      title: `${seller} vend ${certification.code} alors que son habilitation n’est pas active`,
      detail: `habilitation ${words.join(', ')} le ${day}`,
      facts: { verdict: 'inactive', day, habilitations: statuses },
    });
  } else if (training.length === 0) {
    verdict = 'evaluation_only';
    hits.push({
      ...subjectOf('cpf.evaluation-only'),
      title: `${seller} vend une formation à ${certification.code} en n’étant habilité qu’à évaluer`,
      detail: 'habilitation limitée à l’organisation des évaluations',
      facts: { verdict: 'evaluation_only', habilitationIds: active.map((h) => h.id) },
    });
  } else {
    verdict = 'habilitated';
    // Most offers name no block: the regular expressions run only when the text may.
    const mayNameBlock = (t: string | null) => t !== null && /bc|bloc/i.test(t);
    const named =
      mayNameBlock(offer.title) || mayNameBlock(offer.certificationTitle)
        ? skillBlocksNamed([offer.title, offer.certificationTitle], certification.code).filter((c) =>
            certification.skillBlocks.has(c),
          )
        : [];
    const uncovered = named.filter(
      (code) =>
        !training.some(
          (h) => h.coversAllSkillBlocks || h.skillBlockIds.has(certification.skillBlocks.get(code) as string),
        ),
    );
    if (uncovered.length > 0)
      hits.push({
        ...subjectOf('cpf.skill-block-not-covered'),
        title: `${seller} : offre CPF sur un bloc de ${certification.code} non couvert par son habilitation`,
        detail: `« ${offer.title} » nomme ${uncovered.join(', ')}, non couvert par l’habilitation`,
        facts: { skillBlocks: named, uncovered },
      });
  }

  // Qualiopi: one finding per organisation, whatever it sells.
  const lapsed =
    organisation.qualiopiStatus === 'lapsed' ||
    organisation.qualiopiStatus === 'not_certified' ||
    (organisation.qualiopiExpiresOn !== null && organisation.qualiopiExpiresOn < day);
  if (lapsed)
    hits.push({
      ruleId: 'cpf.qualiopi-lapsed',
      subjectKey: `organisation:${organisation.id}`,
      organisationId: organisation.id,
      certificationId: null,
      title: `${organisation.legalName} vend sur le CPF sans Qualiopi valide`,
      detail:
        organisation.qualiopiExpiresOn !== null && organisation.qualiopiExpiresOn < day
          ? `certificat Qualiopi échu le ${organisation.qualiopiExpiresOn}`
          : `statut Qualiopi : ${organisation.qualiopiStatus}`,
      facts: {
        qualiopiStatus: organisation.qualiopiStatus,
        qualiopiExpiresOn: organisation.qualiopiExpiresOn,
        day,
      },
    });

  // Communication: title, claims, price.
  const title = compareTitleOf(offer.title, certification, normalisedCertificationTitle);
  if (!title.matches && title.normalisedCertificationTitle !== '')
    hits.push({
      ...subjectOf('cpf.title-mismatch'),
      title: `${seller} : intitulé d’offre différent de « ${certification.title} » (${certification.code})`,
      detail: `« ${offer.title} » : distance ${title.distance}`,
      facts: {
        offerTitle: offer.title,
        certificationTitle: certification.title,
        distance: title.distance,
        normalisedOfferTitle: title.normalisedTitle,
        normalisedCertificationTitle: title.normalisedCertificationTitle,
      },
      severity: title.distance <= 3 ? 'minor' : 'major',
    });

  const claims: ClaimFound[] = findClaims(
    {
      title: offer.title,
      highlights: offer.highlights,
      objective: offer.objective,
      content: offer.content,
      expectedResults: offer.expectedResults,
    },
    certification,
    ref.claims,
  );
  if (claims.length > 0)
    hits.push({
      ...subjectOf('cpf.misleading-claim'),
      title: `${seller} : offre CPF de ${certification.code} revendiquant ce que la certification n’est pas`,
      detail: `« ${offer.title} » : ${claims.map((c) => `« ${c.phrase} » (${c.field}) — ${c.reason}`).join(' ; ')}`,
      facts: { claims },
    });

  const lowest = offer.priceMin ?? offer.priceMean;
  const highest = offer.priceMax ?? offer.priceMean;
  for (const c of bounds) {
    const b = c.priceBounds as { minCents: number | null; maxCents: number | null };
    const below = b.minCents !== null && lowest !== null && Math.round(lowest * 100) < b.minCents;
    const above = b.maxCents !== null && highest !== null && Math.round(highest * 100) > b.maxCents;
    if (!below && !above) continue;
    const range = `${b.minCents === null ? '—' : euros(b.minCents)} à ${b.maxCents === null ? '—' : euros(b.maxCents)}`;
    hits.push({
      ...subjectOf('cpf.price-outside-bounds'),
      title: `${seller} : prix d’offre CPF de ${certification.code} hors des bornes de la convention ${c.reference}`,
      detail: `« ${offer.title} » : prix ${lowest === null ? '?' : euros(Math.round(lowest * 100))} à ${highest === null ? '?' : euros(Math.round(highest * 100))} ; bornes ${range}`,
      facts: {
        conventionId: c.id,
        conventionReference: c.reference,
        minCents: b.minCents,
        maxCents: b.maxCents,
        priceMin: offer.priceMin,
        priceMax: offer.priceMax,
      },
    });
    break;
  }
  return { organisation, matchedBy, verdict, hits };
}

/**
 * The offer's data kept as a finding's evidence (the seller and the certification are the finding's; the
 * whole offer stays in the catalogue table under its id).
 */
export function offerEvidence(offer: CpfOffer, line: number) {
  return {
    offerId: offer.offerId,
    line,
    extractedOn: offer.extractedOn,
    title: offer.title,
    priceMin: offer.priceMin,
    priceMax: offer.priceMax,
    hoursMin: offer.hoursMin,
    hoursMax: offer.hoursMax,
    modality: offer.modality,
    departmentCode: offer.departmentCode,
  };
}

/** A finding ready to write: what the engine's planFindingChanges takes. */
export interface GatheredFinding {
  ruleId: CpfRuleId;
  subjectKey: string;
  organisationId: string | null;
  certificationId: string | null;
  title: string;
  description: string;
  severity: 'minor' | 'major' | 'critical';
  evidence: Record<string, unknown>;
}

const MAX_OFFERS_PER_FINDING = 20;

interface Gathering {
  hit: OfferHit;
  seller: {
    siret: string;
    name: string | null;
    certificationCode: string | null;
    certificationTitle: string | null;
  };
  /**
   * The offers listed (`offerEvidence` and the hit's facts), each as its JSON text kept in the collector's
   * arena (outside the heap): a full catalogue keeps a few hundred thousand of them until the findings
   * are written.
   */
  offers: number[];
  details: Set<string>;
  count: number;
  severity: 'minor' | 'major' | 'critical';
}

const rank = { minor: 0, major: 1, critical: 2 } as const;

/**
 * Gathers hits into one finding per rule and subject: a seller finding lists the seller's offers (the
 * first 20, and how many there are); the severity is the highest any offer gave.
 */
export class FindingCollector {
  private readonly byKey = new Map<string, Gathering>();
  private readonly evidence = new TextArena();

  add(hit: OfferHit, offer: CpfOffer, line: number): void {
    const key = `${hit.ruleId}\u0000${hit.subjectKey}`;
    const severity = hit.severity ?? cpfRules[hit.ruleId].severity;
    let g = this.byKey.get(key);
    if (!g) {
      g = {
        hit,
        seller: {
          siret: offer.siret,
          name: offer.organisationName,
          certificationCode: offer.certificationCode,
          certificationTitle: offer.certificationTitle,
        },
        offers: [],
        details: new Set(),
        count: 0,
        severity,
      };
      this.byKey.set(key, g);
    }
    g.count++;
    if (rank[severity] > rank[g.severity]) g.severity = severity;
    if (g.offers.length < MAX_OFFERS_PER_FINDING)
      g.offers.push(this.evidence.add(JSON.stringify({ ...offerEvidence(offer, line), facts: hit.facts })));
    if (g.details.size < 5) g.details.add(hit.detail);
  }

  /** Findings per rule id. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const g of this.byKey.values()) out[g.hit.ruleId] = (out[g.hit.ruleId] ?? 0) + 1;
    return out;
  }

  /** The findings, of one rule when `ruleId` is given, with their evidence (tests, small catalogues). */
  findings(ruleId?: CpfRuleId): GatheredFinding[] {
    return this.subjects(ruleId).map((subject) => ({
      ...subject,
      evidence: JSON.parse(this.evidenceJson(subject.ruleId, subject.subjectKey)) as Record<string, unknown>,
    }));
  }

  /**
   * The findings of one rule (all when `ruleId` is not given) without their evidence, which a full
   * catalogue makes large: it is asked for by `evidenceJson`, a few hundred findings at a time.
   */
  subjects(ruleId?: CpfRuleId): Omit<GatheredFinding, 'evidence'>[] {
    const out: Omit<GatheredFinding, 'evidence'>[] = [];
    for (const g of this.byKey.values()) {
      if (ruleId !== undefined && g.hit.ruleId !== ruleId) continue;
      const many = g.count > 1 ? ` (${g.count} offres)` : '';
      const offerWord = g.count > 1 ? `${g.count} offres CPF` : 'Offre CPF';
      out.push({
        ruleId: g.hit.ruleId,
        subjectKey: g.hit.subjectKey,
        organisationId: g.hit.organisationId,
        certificationId: g.hit.certificationId,
        title: `${g.hit.title}${many}`,
        description: `${offerWord} du catalogue Mon Compte Formation : ${[...g.details].join(' ; ')}.`,
        severity: g.severity,
      });
    }
    return out;
  }

  /**
   * The evidence of one finding as JSON text: `{source, seller, facts, offerCount, offers}`, the offers
   * as they were kept (text, never parsed back). Throws for a finding not gathered.
   */
  evidenceJson(ruleId: CpfRuleId, subjectKey: string): string {
    const g = this.byKey.get(`${ruleId}\u0000${subjectKey}`);
    if (!g) throw new Error(`no finding of ${ruleId} for ${subjectKey}`);
    const head = JSON.stringify({
      source: 'cpf_catalogue',
      seller: g.seller,
      facts: g.hit.facts,
      offerCount: g.count,
    });
    return `${head.slice(0, -1)},"offers":[${g.offers.map((id) => this.evidence.get(id)).join(',')}]}`;
  }
}

/** Normalised titles of the certifications, computed once per import. */
export const normalisedTitleOf = (c: CertificationRef) => normaliseText(c.title);
