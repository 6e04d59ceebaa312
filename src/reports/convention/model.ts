import type { HabilitationScope } from '../../core/habilitations/habilitation.js';

/** What a convention document is made of, as the service reads it from the database. */
export interface ConventionDocumentData {
  certifier: { name: string; siret: string | null; nda: string | null; address: string | null };
  partner: {
    legalName: string;
    siret: string;
    nda: string | null;
    addressLine: string | null;
    postalCode: string | null;
    city: string | null;
  };
  convention: {
    reference: string;
    version: number;
    startsOn: string;
    endsOn: string | null;
    feePerCandidateCents: number | null;
    annualFeeCents: number | null;
    clauses: Record<string, unknown>;
  };
  certifications: {
    code: string;
    title: string;
    /** The skill blocks the partner is habilitated for; all of the certification's when `allBlocks`. */
    skillBlocks: { code: string; title: string }[];
    allBlocks: boolean;
    /** The scope of the partner's habilitation for it, when one is recorded. */
    scope: HabilitationScope | null;
  }[];
  /** The day the document is generated (ISO). */
  generatedOn: string;
}

/** The variables a template may use, each with what it holds (shown to whoever writes a template). */
export const conventionVariables: Readonly<Record<string, string>> = {
  reference: 'la référence de la convention (CONV-2026-014)',
  version: 'le numéro de version de la convention',
  generatedOn: 'la date d’édition du document',
  certifier: 'la raison sociale de l’organisme certificateur',
  certifierSiret: 'le SIRET de l’organisme certificateur',
  certifierNda: 'le numéro de déclaration d’activité du certificateur',
  certifierAddress: 'l’adresse du certificateur',
  partner: 'la raison sociale du partenaire habilité',
  partnerSiret: 'le SIRET de l’établissement partenaire',
  partnerNda: 'le numéro de déclaration d’activité du partenaire',
  partnerAddress: 'l’adresse du partenaire',
  certifications: 'la liste des certifications couvertes (code, intitulé, périmètre)',
  skillBlocks: 'la liste des blocs de compétences couverts, par certification',
  scope: 'le périmètre de l’habilitation (former, organiser l’évaluation, ou les deux)',
  startsOn: 'la date de prise d’effet',
  endsOn: 'la date de fin (ou « sans terme fixé »)',
  duration: 'la durée de la convention en toutes lettres',
  feePerCandidate: 'la redevance par candidat',
  annualFee: 'la redevance annuelle',
  obligations: 'les obligations du partenaire (clause obligations, ou le texte par défaut)',
  controlRights: 'les droits de contrôle du certificateur (clause controlRights, ou le texte par défaut)',
  sanctions: 'l’échelle des sanctions (clause sanctions, ou le texte par défaut)',
  communicationRules: 'les règles de communication (clause communicationRules, ou le texte par défaut)',
  subcontracting: 'les conditions de sous-traitance (clause subcontracting, ou le texte par défaut)',
};

/** The clauses a convention may override, by key of its `clauses` JSON. */
export const clauseVariables = [
  'obligations',
  'controlRights',
  'sanctions',
  'communicationRules',
  'subcontracting',
] as const;
export type ClauseVariable = (typeof clauseVariables)[number];

const scopeLabel: Record<HabilitationScope, string> = {
  train: 'préparer à la certification (former)',
  evaluate: 'organiser les sessions d’évaluation',
  both: 'préparer à la certification et organiser les sessions d’évaluation',
};

/** `2026-03-05` → `5 mars 2026`. */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const months = [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ];
  return `${d === 1 ? '1er' : d} ${months[m - 1]} ${y}`;
}

/**
 * 150000 cents → `1 500,00 €`, grouped with a no-break space: the narrow one (U+202F) that French typesetting
 * prefers has no glyph in the Roboto that pdfmake embeds, and would print as a missing-glyph box.
 */
export function euros(cents: number): string {
  const value = (cents / 100).toFixed(2);
  const [whole, decimals] = value.split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${decimals}\u00a0€`;
}

/** The length of an inclusive period in words: `3 ans`, `2 ans et 6 mois`, `1 an, 2 mois et 3 jours`. */
export function durationInWords(startsOn: string, endsOn: string | null): string {
  if (endsOn === null) return 'durée indéterminée';
  const day = 86_400_000;
  const [y1, m1, d1] = startsOn.split('-').map(Number) as [number, number, number];
  // The period includes its last day: it runs until the start of the next one.
  const next = new Date(Date.parse(`${endsOn}T00:00:00Z`) + day);
  let months = (next.getUTCFullYear() - y1) * 12 + (next.getUTCMonth() + 1 - m1);
  if (next.getUTCDate() < d1) months--;
  const anniversary = Date.UTC(y1, m1 - 1 + months, d1);
  const days = Math.round((next.getTime() - anniversary) / day);
  const years = Math.floor(months / 12);
  const parts = [
    ...(years ? [`${years} an${years > 1 ? 's' : ''}`] : []),
    ...(months % 12 ? [`${months % 12} mois`] : []),
    ...(days ? [`${days} jour${days > 1 ? 's' : ''}`] : []),
  ];
  if (parts.length <= 1) return parts[0] ?? '0 jour';
  return `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}`;
}

const clauseText = (value: unknown): string | null => {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.map((v) => `- ${v}`).join('\n');
  return null;
};

/**
 * The values of every variable for one convention: identities, certifications and blocs, period, fees,
 * and the clauses, taken from the convention's `clauses` when it sets them (a text, or a list of strings
 * that becomes bullets) and from `defaults` otherwise.
 */
export function conventionTemplateValues(
  data: ConventionDocumentData,
  defaults: Readonly<Record<ClauseVariable, string>>,
): Record<string, string> {
  const { certifier, partner, convention } = data;
  const address = [partner.addressLine, [partner.postalCode, partner.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  const scopes = [...new Set(data.certifications.map((c) => c.scope).filter((s) => s !== null))];
  const values: Record<string, string> = {
    reference: convention.reference,
    version: String(convention.version),
    generatedOn: frenchDate(data.generatedOn),
    certifier: certifier.name,
    certifierSiret: certifier.siret ?? 'non renseigné',
    certifierNda: certifier.nda ?? 'non renseigné',
    certifierAddress: certifier.address ?? 'non renseignée',
    partner: partner.legalName,
    partnerSiret: partner.siret,
    partnerNda: partner.nda ?? 'non renseigné',
    partnerAddress: address || 'non renseignée',
    certifications: data.certifications
      .map((c) => `- ${c.code} — ${c.title}${c.scope ? ` : ${scopeLabel[c.scope]}` : ''}`)
      .join('\n'),
    skillBlocks: data.certifications
      .map((c) =>
        c.allBlocks
          ? `- ${c.code} : l’ensemble des blocs de compétences${c.skillBlocks.length ? ` (${c.skillBlocks.map((b) => b.code).join(', ')})` : ''}`
          : `- ${c.code} : ${c.skillBlocks.map((b) => `${b.code} ${b.title}`).join(' ; ') || 'aucun bloc désigné'}`,
      )
      .join('\n'),
    scope:
      scopes.length === 1
        ? scopeLabel[scopes[0]!]
        : scopes.length === 0
          ? 'tel que précisé par l’habilitation délivrée pour chaque certification'
          : 'tel que précisé pour chaque certification ci-dessus',
    startsOn: frenchDate(convention.startsOn),
    endsOn: convention.endsOn ? frenchDate(convention.endsOn) : 'sans terme fixé',
    duration: durationInWords(convention.startsOn, convention.endsOn),
    feePerCandidate:
      convention.feePerCandidateCents === null
        ? 'aucune redevance par candidat'
        : euros(convention.feePerCandidateCents),
    annualFee:
      convention.annualFeeCents === null ? 'aucune redevance annuelle' : euros(convention.annualFeeCents),
  };
  for (const key of clauseVariables) values[key] = clauseText(convention.clauses[key]) ?? defaults[key];
  return values;
}
