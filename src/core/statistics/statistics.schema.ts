import { z } from 'zod';

/**
 * Statistics of the certifications for France Compétences and renewal files: per certification and year,
 * then by access route, partner and skill block. Counts are of distinct candidates; each candidate's final
 * decision of the year is the last one its juries took (a postponed candidate certified later counts once).
 */
export const statisticsQuery = z.object({
  /** One certification (code); all of them when absent. */
  certification: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(RNCP|RS)\d{1,6}$/, 'expected a certification code such as RNCP12345 or RS1234')
    .optional(),
  fromYear: z.coerce.number().int().min(2000).max(2100).optional(),
  toYear: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type StatisticsQuery = z.output<typeof statisticsQuery>;

/** One line of figures; `key` names what it is about (the certification and year are always set). */
export const statisticsLine = z.object({
  certificationCode: z.string(),
  certificationTitle: z.string(),
  year: z.number().int(),
  /** The access route, partner or bloc of the line; null on the certification × year lines. */
  key: z.string().nullable(),
  label: z.string().nullable(),
  /** Enrolled in a training session of the year. */
  candidates: z.number().int(),
  /** Sat an assessment session of the year. */
  presented: z.number().int(),
  /** Final decision of the year's juries. */
  deliberated: z.number().int(),
  certifiedFull: z.number().int(),
  certifiedByBlocks: z.number().int(),
  failed: z.number().int(),
  /** Certified in full through VAE. */
  certifiedVae: z.number().int(),
  /** certifiedFull / deliberated; null without deliberation. */
  successRate: z.number().nullable(),
  /** (certifiedFull + certifiedByBlocks) / deliberated. */
  successRateWithBlocks: z.number().nullable(),
});
export type StatisticsLine = z.infer<typeof statisticsLine>;

export const statisticsReport = z.object({
  byYear: z.array(statisticsLine),
  byAccessRoute: z.array(statisticsLine),
  byPartner: z.array(statisticsLine),
  bySkillBlock: z.array(
    z.object({
      certificationCode: z.string(),
      year: z.number().int(),
      blockCode: z.string(),
      blockTitle: z.string(),
      presented: z.number().int(),
      validated: z.number().int(),
      successRate: z.number().nullable(),
    }),
  ),
});
export type StatisticsReport = z.infer<typeof statisticsReport>;
