/**
 * The risk score of a partner: a number from 0 to 100 that says how much the certifier should look at it,
 * built from a few measured facts (its activity, its live findings, the statistical signals the rules
 * raised, how long since it was last audited, its Qualiopi certification, its complaints) and explained
 * factor by factor: each factor has its measured value, its weight, the points it contributes and a
 * sentence saying why. Pure: the facts come from one set-based query (src/db/repositories/risk.repository.ts).
 *
 * contribution = weight × level, where level ∈ [0, 1] is the factor's reading of its value; the score is
 * the sum of the contributions (the weights sum to 100).
 */

export const riskFactorIds = [
  'volume',
  'findings',
  'outliers',
  'lastAudit',
  'qualiopi',
  'complaints',
] as const;
export type RiskFactorId = (typeof riskFactorIds)[number];

export const riskLevels = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Weights of the factors (points out of 100). Complaints weigh nothing until Habilis records them. */
export const riskWeights: Record<RiskFactorId, number> = {
  volume: 15,
  findings: 30,
  outliers: 20,
  lastAudit: 20,
  qualiopi: 15,
  complaints: 0,
};

/** Thresholds: a score ≥ 60 is high, ≥ 30 medium, otherwise low. */
export const riskThresholds = { medium: 30, high: 60 } as const;

/** The rules whose findings are statistical signals (the `outliers` factor), not breaches. */
export const statisticalRuleIds = [
  'success-rate.outlier',
  'volume.sudden-growth',
  'scores.identical-pattern',
];

/** How many activity units (candidates + trainees over 12 months) make the volume factor full. */
export const volumeSaturation = 500;
/** Days without an audit that make the last-audit factor full (and a partner never audited is full). */
export const auditSaturationDays = 730;

/** The measured facts of one partner, on `asOf`. */
export interface RiskFacts {
  organisationId: string;
  siret: string;
  legalName: string;
  /** Candidates registered in assessment sessions it organised over the last 365 days. */
  candidates: number;
  /** Trainees enrolled in its training sessions started over the last 365 days. */
  trainees: number;
  /** Live findings (not closed), other than statistical signals, by severity. */
  findingsCritical: number;
  findingsMajor: number;
  findingsMinor: number;
  /** Live findings of the statistical rules; `successRateHigh`: those of success-rate.outlier with a rate too high. */
  outliers: number;
  successRateHigh: number;
  /** Day of its last audit done (a control other than a rule run), or null when never audited. */
  lastAuditOn: string | null;
  qualiopiStatus: string;
  qualiopiExpiresOn: string | null;
  /** Whether it trains on CPF funding (training sessions of the last 365 days funded by the CPF). */
  trainsOnCpf: boolean;
  /** Complaints recorded about it; null while Habilis holds no complaint data. */
  complaints: number | null;
}

export interface RiskFactor {
  id: RiskFactorId;
  /** The measured value, as shown (a count, a number of days, a status). */
  value: number | string | null;
  weight: number;
  /** weight × level, rounded to one decimal. */
  contribution: number;
  /** French: why the factor contributes what it does. */
  why: string;
}

export interface RiskScore {
  organisationId: string;
  siret: string;
  legalName: string;
  score: number;
  level: RiskLevel;
  asOf: string;
  factors: RiskFactor[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function factor(id: RiskFactorId, value: RiskFactor['value'], level: number, why: string): RiskFactor {
  const weight = riskWeights[id];
  return { id, value, weight, contribution: round1(weight * clamp01(level)), why };
}

/** The level of a score. */
export function riskLevel(score: number): RiskLevel {
  return score >= riskThresholds.high ? 'high' : score >= riskThresholds.medium ? 'medium' : 'low';
}

/**
 * The score of one partner and the explanation of each factor.
 *
 * @example
 * scoreRisk({ …facts, findingsCritical: 1, lastAuditOn: null }, '2026-11-23').level // 'high'
 */
export function scoreRisk(facts: RiskFacts, asOf: string): RiskScore {
  const activity = facts.candidates + facts.trainees;
  const volume = factor(
    'volume',
    activity,
    Math.log10(1 + activity) / Math.log10(1 + volumeSaturation),
    activity === 0
      ? 'Aucune activité sur 12 mois : peu d’enjeu.'
      : `${plural(facts.candidates, 'candidat')} évalué(s) et ${plural(facts.trainees, 'stagiaire')} formé(s) sur 12 mois : plus le volume est grand, plus une défaillance touche de personnes (plein à ${volumeSaturation}).`,
  );

  const weighted = facts.findingsCritical + 0.5 * facts.findingsMajor + 0.15 * facts.findingsMinor;
  const liveFindings = facts.findingsCritical + facts.findingsMajor + facts.findingsMinor;
  const findings = factor(
    'findings',
    liveFindings,
    weighted,
    liveFindings === 0
      ? 'Aucun constat ouvert.'
      : `Constats ouverts : ${facts.findingsCritical} critique(s), ${facts.findingsMajor} majeur(s), ${facts.findingsMinor} mineur(s) (un critique ou deux majeurs suffisent au maximum).`,
  );

  const outlierLevel = facts.successRateHigh + 0.5 * (facts.outliers - facts.successRateHigh);
  const outliers = factor(
    'outliers',
    facts.outliers,
    outlierLevel,
    facts.outliers === 0
      ? 'Aucun signal statistique (taux de réussite, volumes, notes identiques) en cours.'
      : `${plural(facts.outliers, 'signal statistique', 'signaux statistiques')} en cours, dont ${facts.successRateHigh} taux de réussite anormalement élevé(s) par rapport au réseau.`,
  );

  const days = facts.lastAuditOn ? daysBetween(facts.lastAuditOn, asOf) : null;
  const lastAudit = factor(
    'lastAudit',
    days,
    days === null ? 1 : days / auditSaturationDays,
    days === null
      ? 'Jamais audité : le partenaire doit l’être au moins une fois par période d’habilitation.'
      : `Dernier audit le ${frDate(facts.lastAuditOn as string)}, il y a ${plural(days, 'jour')} (maximum à ${auditSaturationDays} jours).`,
  );

  const expires = facts.qualiopiExpiresOn;
  const valid = facts.qualiopiStatus === 'certified' && (expires === null || expires >= asOf);
  const expiringSoon = valid && expires !== null && daysBetween(asOf, expires) <= 90;
  const qualiopiLevel = valid
    ? expiringSoon
      ? 0.5
      : 0
    : facts.qualiopiStatus === 'unknown'
      ? 0.5
      : facts.trainsOnCpf
        ? 1
        : 0.6;
  const qualiopi = factor(
    'qualiopi',
    facts.qualiopiStatus,
    qualiopiLevel,
    valid
      ? expiringSoon
        ? `Certifié Qualiopi jusqu’au ${frDate(expires as string)} : échéance dans moins de 90 jours.`
        : 'Certifié Qualiopi en cours de validité.'
      : facts.qualiopiStatus === 'unknown'
        ? 'Certification Qualiopi non vérifiée.'
        : `Qualiopi absent ou échu${facts.trainsOnCpf ? ' alors que le partenaire forme sur financement CPF' : ''}.`,
  );

  const complaints = factor(
    'complaints',
    facts.complaints,
    facts.complaints === null ? 0 : facts.complaints / 3,
    facts.complaints === null
      ? 'Habilis ne recense pas encore les réclamations : facteur sans poids.'
      : `${plural(facts.complaints, 'réclamation')} sur 12 mois.`,
  );

  const factors = [volume, findings, outliers, lastAudit, qualiopi, complaints];
  const score = round1(factors.reduce((sum, f) => sum + f.contribution, 0));
  return {
    organisationId: facts.organisationId,
    siret: facts.siret,
    legalName: facts.legalName,
    score,
    level: riskLevel(score),
    asOf,
    factors,
  };
}
