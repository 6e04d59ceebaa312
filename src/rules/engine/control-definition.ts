/**
 * What an automated control is: its identity, why it exists (the text or clause it enforces), how serious
 * what it finds is, and how it finds its subjects. The SQL of each rule lives in the database layer
 * (src/db/repositories/control-rules.repository.ts, keyed by rule id) and reaches a rule through the small
 * `RuleDataSource` interface below, so that this folder imports nothing but core (docs/decisions/0004).
 */

export const ruleSeverities = ['minor', 'major', 'critical'] as const;
export type RuleSeverity = (typeof ruleSeverities)[number];

/** Where the obligation a rule enforces comes from. */
export const ruleSourceKinds = [
  /** Code du travail and décrets (R6113-16-x from décret 2025-500, L6113-8, L6323-9-1…). */
  'law',
  /** France Compétences registration criteria and doctrine. */
  'france_competences',
  /** Caisse des Dépôts (CPF) conditions: CGU, accrochage. */
  'cdc',
  /** Qualiopi (Référentiel national qualité) indicator. */
  'qualiopi',
  /** A clause of the partnership convention or a condition of the habilitation. */
  'convention',
  /** Published good practice or the certifier's own control policy (statistical controls). */
  'good_practice',
] as const;
export type RuleSourceKind = (typeof ruleSourceKinds)[number];

export interface RuleSource {
  kind: RuleSourceKind;
  /** As a person cites it: `Code du travail, art. R6113-16-3 (décret 2025-500)`. */
  reference: string;
}

export interface LocalisedText {
  fr: string;
  en: string;
}

/** The parameters of a rule (thresholds, windows, lists): plain JSON values. */
export type RuleParameters = Record<string, number | boolean | string | readonly string[]>;

/** What a rule is run with: the day it judges (ISO date, certifier's time zone) and its parameters. */
export interface RuleContext<P extends RuleParameters = RuleParameters> {
  asOf: string;
  parameters: P;
}

/**
 * The rows a rule's query returns. The database layer implements it (one set-based SQL query per rule id);
 * the rule declares the row shape it expects, and its medium test checks that shape on a real database.
 */
export interface RuleDataSource {
  rows<R>(ruleId: string, context: RuleContext): Promise<R[]>;
}

/** One thing a rule found: what a finding is about, stable across runs through `subjectKey`. */
export interface RuleSubject {
  /** Stable identity of the subject (`training_session:<id>`, `<organisationId>:<certificationId>`). */
  subjectKey: string;
  organisationId: string | null;
  certificationId: string | null;
  /** French, as the finding is shown to the certifier and the partner. */
  title: string;
  description: string;
  /** The facts the finding rests on (ids, dates, counts): kept in the finding's source. */
  evidence: Record<string, unknown>;
  /** When this subject is more (or less) serious than the rule's default. */
  severity?: RuleSeverity;
}

/** The tables a rule reads: recorded with each run ("which rules ran on which data"). */
export const ruleTables = [
  'organisations',
  'certifications',
  'skill_blocks',
  'habilitations',
  'habilitation_skill_blocks',
  'habilitation_decisions',
  'conventions',
  'convention_certifications',
  'candidates',
  'training_sessions',
  'training_session_skill_blocks',
  'training_enrolments',
  'assessment_sessions',
  'assessment_session_candidates',
  'assessment_session_evaluators',
  'assessment_results',
  'juries',
  'deliberations',
  'deliberation_skill_blocks',
  'certificates',
  'evidence_links',
  'users',
  'fc_fiches',
  'fc_declared_partners',
] as const;
export type RuleTable = (typeof ruleTables)[number];

export interface ControlDefinition<P extends RuleParameters = RuleParameters> {
  /** `family.what` in lower case: `convention.missing`, `success-rate.outlier`. */
  id: string;
  title: LocalisedText;
  /** Why the certifier must look at this, in a sentence or two. */
  rationale: LocalisedText;
  sources: readonly RuleSource[];
  severity: RuleSeverity;
  /** What the rule checks and how (the SQL idea), for docs/rules.md and the catalogue. */
  checks: string;
  reads: readonly RuleTable[];
  /** Default parameters; a run may not change their keys. */
  parameters: P;
  /** The subjects found on `context.asOf`: one set-based query, then pure mapping. */
  find(data: RuleDataSource, context: RuleContext<P>): Promise<RuleSubject[]>;
}

/**
 * Declares a control with its parameter type inferred, so `find` sees typed parameters.
 *
 * @example
 * export const conventionMissing = defineControl({ id: 'convention.missing', parameters: { windowDays: 730 }, … });
 */
export const defineControl = <P extends RuleParameters>(
  definition: ControlDefinition<P>,
): ControlDefinition<P> => definition;
