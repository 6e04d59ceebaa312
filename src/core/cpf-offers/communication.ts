import { z } from 'zod';

/**
 * The communication control of CPF offers: what each rule is, how titles and claims are compared, and
 * the settings a certifier may change (the list of forbidden claims). Pure: the matching itself is in
 * src/rules/cpf/, the import in src/services/cpf-offer.service.ts. See docs/communication-control.md.
 */

export const cpfRuleIds = [
  'cpf.seller-not-habilitated',
  'cpf.habilitation-inactive',
  'cpf.evaluation-only',
  'cpf.skill-block-not-covered',
  'cpf.title-mismatch',
  'cpf.misleading-claim',
  'cpf.price-outside-bounds',
  'cpf.qualiopi-lapsed',
] as const;
export type CpfRuleId = (typeof cpfRuleIds)[number];

export type CpfRuleSeverity = 'minor' | 'major' | 'critical';

export interface CpfRuleDefinition {
  id: CpfRuleId;
  severity: CpfRuleSeverity;
  title: { fr: string; en: string };
  /** The text or clause the rule enforces, as a person cites it. */
  source: string;
  /** What one finding is about: a seller and a certification, an organisation, or one offer. */
  subject: 'seller_certification' | 'organisation' | 'offer';
}

export const cpfRules: Record<CpfRuleId, CpfRuleDefinition> = {
  'cpf.seller-not-habilitated': {
    id: 'cpf.seller-not-habilitated',
    severity: 'critical',
    title: {
      fr: 'Offre CPF d’un organisme non habilité',
      en: 'CPF offer by an organisation without habilitation',
    },
    source:
      'Code du travail, art. L6323-9-1, 2° et R6113-16-1 : seuls les organismes habilités par le certificateur préparent à la certification',
    subject: 'seller_certification',
  },
  'cpf.habilitation-inactive': {
    id: 'cpf.habilitation-inactive',
    severity: 'major',
    title: {
      fr: 'Offre CPF hors de la période ou du statut actif de l’habilitation',
      en: 'CPF offer while the habilitation is not active',
    },
    source:
      'Décret n° 2025-500 (art. R6113-16-2) : l’habilitation vaut pour sa durée ; suspendue ou retirée, elle ne permet plus de proposer la certification',
    subject: 'seller_certification',
  },
  'cpf.evaluation-only': {
    id: 'cpf.evaluation-only',
    severity: 'major',
    title: {
      fr: 'Formation vendue par un partenaire habilité seulement à évaluer',
      en: 'Training sold by a partner habilitated only to evaluate',
    },
    source:
      'Code du travail, art. R6113-16-1 : l’habilitation précise si l’organisme prépare à la certification, organise les évaluations, ou les deux',
    subject: 'seller_certification',
  },
  'cpf.skill-block-not-covered': {
    id: 'cpf.skill-block-not-covered',
    severity: 'major',
    title: {
      fr: 'Offre CPF sur un bloc de compétences non couvert par l’habilitation',
      en: 'CPF offer on a skill block the habilitation does not cover',
    },
    source: 'Code du travail, art. R6113-16-1 : l’habilitation désigne les blocs de compétences couverts',
    subject: 'offer',
  },
  'cpf.title-mismatch': {
    id: 'cpf.title-mismatch',
    severity: 'minor',
    title: {
      fr: 'Intitulé de l’offre différent de l’intitulé exact de la certification',
      en: 'Offer title differs from the exact certification title',
    },
    source:
      'Convention de partenariat (règles de communication) ; Qualiopi, indicateur 1 : information exacte sur la certification préparée',
    subject: 'offer',
  },
  'cpf.misleading-claim': {
    id: 'cpf.misleading-claim',
    severity: 'major',
    title: {
      fr: 'Offre CPF revendiquant ce que la certification n’est pas',
      en: 'CPF offer claiming what the certification is not',
    },
    source:
      'Code de la consommation, art. L121-2 (pratique commerciale trompeuse) ; conditions générales Mon Compte Formation ; convention de partenariat',
    subject: 'offer',
  },
  'cpf.price-outside-bounds': {
    id: 'cpf.price-outside-bounds',
    severity: 'minor',
    title: {
      fr: 'Prix de l’offre CPF hors des bornes fixées par la convention',
      en: 'CPF offer price outside the convention’s bounds',
    },
    source: 'Convention de partenariat : bornes de prix des offres (clause cpfPriceBounds)',
    subject: 'offer',
  },
  'cpf.qualiopi-lapsed': {
    id: 'cpf.qualiopi-lapsed',
    severity: 'major',
    title: {
      fr: 'Offre CPF d’un partenaire sans Qualiopi valide',
      en: 'CPF offer by a partner without valid Qualiopi',
    },
    source: 'Code du travail, art. L6316-1 et L6323-9-1 : Qualiopi requis pour être référencé sur le CPF',
    subject: 'organisation',
  },
};

/**
 * What the import concluded about the seller of an offer for the certification it names. `unknown_seller`:
 * neither its SIRET nor its SIREN is an organisation of Habilis; `not_habilitated`: a known organisation
 * with no granted habilitation for the certification.
 */
export const cpfOfferVerdicts = [
  'habilitated',
  'unknown_seller',
  'not_habilitated',
  'inactive',
  'evaluation_only',
] as const;
export type CpfOfferVerdict = (typeof cpfOfferVerdicts)[number];

/**
 * Text for comparison: lower case, accents and ligatures removed, apostrophes and punctuation as spaces,
 * spaces collapsed. `Diplôme d'État` and `diplome d etat` compare equal; `Bac+5` becomes `bac 5`.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The fewest single-character edits (insert, delete, substitute) that make `needle` appear somewhere in
 * `haystack` (Sellers' approximate substring matching). 0 when `haystack` contains `needle`.
 *
 * @example substringDistance('developpeur web et web mobil', 'titre pro developpeur web et web mobile') === 0
 * @example substringDistance('developpeur web', 'developeur web') === 1
 */
export function substringDistance(needle: string, haystack: string): number {
  const m = needle.length;
  if (m === 0) return 0;
  if (haystack.includes(needle)) return 0;
  // Column over the needle; row 0 is free (the match may start anywhere in the haystack).
  let prev = new Uint32Array(m + 1);
  let curr = new Uint32Array(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = prev[m] as number;
  for (let j = 1; j <= haystack.length; j++) {
    curr[0] = 0;
    const c = haystack.charCodeAt(j - 1);
    for (let i = 1; i <= m; i++) {
      const cost = needle.charCodeAt(i - 1) === c ? 0 : 1;
      const sub = (prev[i - 1] as number) + cost;
      const del = (prev[i] as number) + 1;
      const ins = (curr[i - 1] as number) + 1;
      curr[i] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    if ((curr[m] as number) < best) best = curr[m] as number;
    [prev, curr] = [curr, prev];
  }
  return best;
}

/** How an offer's title compares with the certification's exact title (both normalised). */
export interface TitleComparison {
  /** The offer's title contains the exact title. */
  matches: boolean;
  /** Edits needed for the exact title to appear in the offer's title (0 when it matches). */
  distance: number;
  normalisedTitle: string;
  normalisedCertificationTitle: string;
}

export function compareTitles(
  offerTitle: string,
  certificationTitle: string,
  /** `normaliseText(certificationTitle)` when the caller has it already (it compares many offers to one title). */
  normalisedCertificationTitle?: string,
): TitleComparison {
  const a = normaliseText(offerTitle);
  const b = normalisedCertificationTitle ?? normaliseText(certificationTitle);
  const distance = substringDistance(b, a);
  return { matches: distance === 0, distance, normalisedTitle: a, normalisedCertificationTitle: b };
}

/**
 * A claim an offer must not make: the phrase (compared normalised, on whole words) is forbidden unless the
 * certification's exact title contains it too, or the certification's level is one of `allowedLevels`
 * (`Bac+5` is true of a level 7).
 */
export const forbiddenClaim = z.strictObject({
  phrase: z.string().trim().min(2).max(100),
  /** Why it misleads, shown in the finding (French). */
  reason: z.string().trim().min(1).max(300),
  allowedLevels: z.array(z.string().trim().min(1).max(10)).max(10).default([]),
});
export type ForbiddenClaim = z.output<typeof forbiddenClaim>;

export const communicationSettingsInput = z.strictObject({
  forbiddenClaims: z
    .array(forbiddenClaim)
    .max(200)
    .superRefine((claims, ctx) => {
      const seen = new Set<string>();
      claims.forEach((c, i) => {
        const key = normaliseText(c.phrase);
        if (key.length === 0)
          ctx.addIssue({ code: 'custom', path: [i, 'phrase'], message: 'needs letters or digits' });
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'phrase'], message: 'appears twice' });
        seen.add(key);
      });
    }),
});
export type CommunicationSettingsInput = z.input<typeof communicationSettingsInput>;

/** The list a new Habilis starts with; the certifier edits it on the Communication page. */
export const defaultForbiddenClaims: ForbiddenClaim[] = [
  {
    phrase: "diplôme d'État",
    reason: 'Seul un diplôme délivré au nom de l’État peut se dire « diplôme d’État ».',
    allowedLevels: [],
  },
  {
    phrase: 'Master',
    reason: 'Le grade de master est conféré par l’État aux universités et écoles accréditées.',
    allowedLevels: [],
  },
  {
    phrase: 'grade de licence',
    reason: 'Grade universitaire conféré par l’État, pas un titre RNCP.',
    allowedLevels: [],
  },
  {
    phrase: 'Licence',
    reason: 'La licence est un diplôme national de l’enseignement supérieur.',
    allowedLevels: [],
  },
  {
    phrase: "titre d'ingénieur",
    reason: 'Titre délivré par les écoles habilitées par la CTI.',
    allowedLevels: [],
  },
  { phrase: 'Doctorat', reason: 'Diplôme national délivré par les universités.', allowedLevels: [] },
  { phrase: 'BTS', reason: 'Diplôme national de l’Éducation nationale.', allowedLevels: [] },
  {
    phrase: 'Bac+5',
    reason: 'Niveau revendiqué différent du niveau de la certification.',
    allowedLevels: ['7'],
  },
  {
    phrase: 'Bac+4',
    reason: 'Niveau revendiqué différent du niveau de la certification.',
    allowedLevels: ['6'],
  },
  {
    phrase: 'Bac+3',
    reason: 'Niveau revendiqué différent du niveau de la certification.',
    allowedLevels: ['6'],
  },
  {
    phrase: 'Bac+2',
    reason: 'Niveau revendiqué différent du niveau de la certification.',
    allowedLevels: ['5'],
  },
];

/** The level of a certification as a bare digit (`NIV7`, `Niveau 7`, `7` → `7`), or null. */
export function levelDigit(level: string | null): string | null {
  if (!level) return null;
  const m = /([1-8])/.exec(level);
  return m ? (m[1] as string) : null;
}

/**
 * A forbidden claim prepared for matching: its normalised phrase padded with spaces (whole words), and
 * the plain runs of 3+ letters of its lower-cased phrase, which any text making the claim contains as
 * written: a text missing one is not normalised at all (most texts make no claim).
 */
export interface PreparedClaim extends ForbiddenClaim {
  needle: string;
  probes: string[];
}

export function prepareClaims(claims: readonly ForbiddenClaim[]): PreparedClaim[] {
  return claims
    .map((c) => ({
      ...c,
      needle: ` ${normaliseText(c.phrase)} `,
      // Ligatures may be written either way (œ / oe): runs containing their letters are not probes.
      probes: (c.phrase.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((r) => !/oe|ae/.test(r)),
    }))
    .filter((c) => c.needle.trim().length > 0);
}

const normalisedTitles = new Map<string, string>();

/** `normaliseText` of a certification title, remembered (the same few titles come back for every offer). */
function normalisedTitle(title: string): string {
  let n = normalisedTitles.get(title);
  if (n === undefined) {
    if (normalisedTitles.size > 10_000) normalisedTitles.clear();
    n = ` ${normaliseText(title)} `;
    normalisedTitles.set(title, n);
  }
  return n;
}

export interface ClaimFound {
  phrase: string;
  reason: string;
  /** Which text of the offer says it (`title`, `highlights`, `objective`, `content`, `expectedResults`). */
  field: string;
  /** Up to 120 characters of that text around the claim, as written. */
  excerpt: string;
}

const candidateCache = new WeakMap<
  readonly PreparedClaim[],
  Map<string, { candidates: PreparedClaim[]; probe: RegExp | null }>
>();

/**
 * The claims that may be found in an offer of this certification (not in its title, not true of its
 * level), and one case-insensitive expression matching any of their plain-letter runs: a text it does not
 * match makes none of them, and is not normalised. Null when some claim has no such run.
 */
function candidatesFor(
  claims: readonly PreparedClaim[],
  certification: { title: string; level: string | null },
): { candidates: PreparedClaim[]; probe: RegExp | null } {
  let byCertification = candidateCache.get(claims);
  if (!byCertification) {
    byCertification = new Map();
    candidateCache.set(claims, byCertification);
  }
  const key = `${certification.title}\u0000${certification.level ?? ''}`;
  let entry = byCertification.get(key);
  if (!entry) {
    const title = normalisedTitle(certification.title);
    const level = levelDigit(certification.level);
    const candidates = claims.filter(
      (c) =>
        !title.includes(c.needle) &&
        (level === null || !c.allowedLevels.some((l) => levelDigit(l) === level)),
    );
    const runs = candidates.map((c) => c.probes[0]);
    const probe = runs.every((r): r is string => r !== undefined)
      ? new RegExp(runs.map((r) => r.replace(/[^a-z0-9]/g, '')).join('|'), 'i')
      : null;
    entry = { candidates, probe };
    byCertification.set(key, entry);
  }
  return entry;
}

/**
 * The forbidden claims an offer makes about a certification, in the order of the list. `texts` are the
 * offer's texts by field name; a claim counts once (the first field that says it).
 */
export function findClaims(
  texts: Record<string, string | null>,
  certification: { title: string; level: string | null },
  claims: readonly PreparedClaim[],
): ClaimFound[] {
  if (claims.length === 0) return [];
  const { candidates, probe } = candidatesFor(claims, certification);
  if (candidates.length === 0) return [];
  const normalised: [string, string, string][] = [];
  for (const [field, text] of Object.entries(texts))
    if (text && (probe === null || probe.test(text)))
      normalised.push([field, text, ` ${normaliseText(text)} `]);
  if (normalised.length === 0) return [];
  const out: ClaimFound[] = [];
  for (const claim of candidates) {
    const hit = normalised.find(([, , n]) => n.includes(claim.needle));
    if (hit)
      out.push({
        phrase: claim.phrase,
        reason: claim.reason,
        field: hit[0],
        excerpt: excerptOf(hit[1], claim.phrase),
      });
  }
  return out;
}

function excerptOf(text: string, phrase: string): string {
  const words = normaliseText(phrase).split(' ');
  const first = words[0] ?? '';
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const at = Math.max(0, plain.indexOf(first));
  const start = Math.max(0, at - 50);
  const slice = text
    .slice(start, start + 120)
    .replace(/\s+/g, ' ')
    .trim();
  return `${start > 0 ? '…' : ''}${slice}${start + 120 < text.length ? '…' : ''}`;
}

/**
 * Price bounds a convention sets for the CPF offers of its certifications: clause `cpfPriceBounds`
 * `{ "minCents": 150000, "maxCents": 900000 }` (either may be left out). Null when the clause is absent
 * or unreadable.
 */
export function priceBoundsOf(
  clauses: Record<string, unknown>,
): { minCents: number | null; maxCents: number | null } | null {
  const raw = clauses.cpfPriceBounds;
  if (raw === null || typeof raw !== 'object') return null;
  const value = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null;
  const minCents = value((raw as Record<string, unknown>).minCents);
  const maxCents = value((raw as Record<string, unknown>).maxCents);
  if (minCents === null && maxCents === null) return null;
  return { minCents, maxCents };
}

/**
 * Skill-block codes an offer names: `RNCP37674BC02` anywhere, or `BC02` / « bloc 2 » / « bloc de
 * compétences n° 2 » next to the certification's code. Returned as full codes of that certification.
 */
export function skillBlocksNamed(texts: readonly (string | null)[], certificationCode: string): string[] {
  const out = new Set<string>();
  const code = certificationCode.toUpperCase();
  for (const text of texts) {
    if (!text) continue;
    const upper = text.toUpperCase();
    for (const m of upper.matchAll(/\b(RNCP\d{1,6})\s*[-_ ]?\s*BC\s*0?(\d{1,2})\b/g))
      if (m[1] === code) out.add(`${code}BC${(m[2] as string).padStart(2, '0')}`);
    const n = normaliseText(text);
    for (const m of n.matchAll(
      /\b(?:bc\s?0?(\d{1,2})|blocs? (?:de competences )?(?:n )?(?:o )?0?(\d{1,2}))\b/g,
    )) {
      const digits = (m[1] ?? m[2]) as string;
      out.add(`${code}BC${digits.padStart(2, '0')}`);
    }
  }
  return [...out].sort();
}
