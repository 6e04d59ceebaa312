import { z } from 'zod';
import { isoDate } from '../common.schema.js';

/**
 * Insertion surveys of certification holders, and the two rates France Compétences uses in its instruction
 * (regulation.md §5.4): insertion in the targeted occupation, and in any job, at 6 months (and 2 years).
 * Left out of both numerator and denominator: further studies, alternance contracts, people unable to work,
 * and work outside the French labour market — except, for an occupation international by nature, work abroad
 * in the targeted occupation, which then counts as employed in it.
 */
export const surveyHorizons = ['6_months', '2_years'] as const;
export type SurveyHorizon = (typeof surveyHorizons)[number];

export const surveySituations = [
  'employed_target',
  'employed_other',
  'job_seeking',
  'inactive',
  'further_studies',
  'alternance',
  'unable_to_work',
  'abroad_target',
  'abroad',
] as const;
export type SurveySituation = (typeof surveySituations)[number];

/**
 * The situations France Compétences leaves out of both rates; `abroad_target` is among them unless the
 * targeted occupation is international (see `insertionRates`).
 */
export const excludedSituations: ReadonlySet<SurveySituation> = new Set([
  'further_studies',
  'alternance',
  'unable_to_work',
  'abroad_target',
  'abroad',
]);

export interface InsertionRates {
  invited: number;
  respondents: number;
  /** respondents / invited; null when nobody was invited. */
  responseRate: number | null;
  excluded: number;
  /** respondents − excluded: the denominator of both rates. */
  base: number;
  employedTarget: number;
  employedAny: number;
  /** employedTarget / base. */
  targetRate: number | null;
  /** (employedTarget + employedOther) / base. */
  globalRate: number | null;
}

/**
 * The two rates from the answers of one campaign.
 *
 * @example insertionRates({ employed_target: 6, employed_other: 2, job_seeking: 1, further_studies: 1 }, 20)
 *   // → base 9, targetRate 6/9, globalRate 8/9, responseRate 10/20
 */
export function insertionRates(
  answers: Partial<Record<SurveySituation, number>>,
  invited: number,
  options: { internationalOccupation?: boolean } = {},
): InsertionRates {
  // For an occupation international by nature, working abroad in it is working in it (regulation.md §5.4).
  const abroadCounts = options.internationalOccupation === true;
  let respondents = 0;
  let excluded = 0;
  for (const s of surveySituations) {
    const n = answers[s] ?? 0;
    respondents += n;
    if (excludedSituations.has(s) && !(abroadCounts && s === 'abroad_target')) excluded += n;
  }
  const base = respondents - excluded;
  const employedTarget = (answers.employed_target ?? 0) + (abroadCounts ? (answers.abroad_target ?? 0) : 0);
  const employedAny = employedTarget + (answers.employed_other ?? 0);
  return {
    invited,
    respondents,
    responseRate: invited ? respondents / invited : null,
    excluded,
    base,
    employedTarget,
    employedAny,
    targetRate: base ? employedTarget / base : null,
    globalRate: base ? employedAny / base : null,
  };
}

export const surveyCreateInput = z.strictObject({
  certification: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(RNCP|RS)\d{1,6}$/, 'expected a certification code such as RNCP12345 or RS1234'),
  horizon: z.enum(surveyHorizons),
  /** The year the holders' certificates were issued. */
  cohortYear: z.number().int().min(2000).max(2100),
  closesOn: isoDate,
  /** The targeted occupation is international by nature: work abroad in it counts in both rates. */
  internationalOccupation: z.boolean().default(false),
});
export type SurveyCreateInput = z.input<typeof surveyCreateInput>;

export const surveyView = z.object({
  id: z.uuid(),
  certificationCode: z.string(),
  horizon: z.enum(surveyHorizons),
  cohortYear: z.number().int(),
  closesOn: z.string(),
  createdAt: z.iso.datetime(),
  internationalOccupation: z.boolean(),
  /** Holders without an e-mail address could not be invited. */
  withoutEmail: z.number().int(),
  mailFailures: z.number().int(),
  answers: z.record(z.string(), z.number().int()),
  rates: z.object({
    invited: z.number().int(),
    respondents: z.number().int(),
    responseRate: z.number().nullable(),
    excluded: z.number().int(),
    base: z.number().int(),
    employedTarget: z.number().int(),
    employedAny: z.number().int(),
    targetRate: z.number().nullable(),
    globalRate: z.number().nullable(),
  }),
});
export type SurveyView = z.infer<typeof surveyView>;

/** What the holder sees behind the link (public: no name, only the certification). */
export const surveyQuestion = z.object({
  certificationTitle: z.string(),
  certificationCode: z.string(),
  certifierName: z.string(),
  horizon: z.enum(surveyHorizons),
  answered: z.boolean(),
  closed: z.boolean(),
});
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

export const surveyAnswerInput = z.strictObject({ situation: z.enum(surveySituations) });
export const surveyTokenParam = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a survey link'),
});
