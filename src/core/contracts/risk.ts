import { z } from 'zod';
import { siret, uuid } from '../common.schema.js';
import { riskFactorIds, riskLevels } from '../risk/risk-score.js';
import { defineContract } from './contract.js';

// Risk scores of the partners (src/core/risk/risk-score.ts): computed on request from live data, one
// set-based query for the whole network, explained factor by factor. Certifier staff only (control.read).

export const riskFactorView = z.object({
  id: z.enum(riskFactorIds),
  /** The measured value: a count (volume, findings, outliers, complaints), days since the last audit, the Qualiopi status. */
  value: z.union([z.number(), z.string()]).nullable(),
  /** Points out of 100 the factor may give. */
  weight: z.number(),
  /** Points it gives: weight × its reading of the value (0…1). */
  contribution: z.number(),
  /** French, as shown to the quality manager. */
  why: z.string(),
});
export type RiskFactorView = z.infer<typeof riskFactorView>;

export const riskScoreView = z.object({
  organisationId: uuid,
  siret: z.string(),
  legalName: z.string(),
  /** 0…100, one decimal: the sum of the factors' contributions. */
  score: z.number(),
  /** low < 30 ≤ medium < 60 ≤ high. */
  level: z.enum(riskLevels),
  /** The day the score was computed for (certifier's time zone). */
  asOf: z.string(),
  factors: z.array(riskFactorView),
});
export type RiskScoreView = z.infer<typeof riskScoreView>;

export const riskListQuery = z.object({
  /** Only these organisations (a page of the network list): `organisationId=a&organisationId=b` or `a,b`. */
  organisationId: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(uuid).max(500))
    .optional(),
  siret: siret.optional(),
  level: z.enum(riskLevels).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RiskListQuery = z.input<typeof riskListQuery>;

export const riskPage = z.object({
  asOf: z.string(),
  /** Weights and thresholds, so a client can show the legend. */
  weights: z.record(z.string(), z.number()),
  thresholds: z.object({ medium: z.number(), high: z.number() }),
  /** Partners (organisations not archived) matching the filters, whatever the page. */
  total: z.number().int(),
  /** Partners per level among those matching organisationId/siret (before the level filter). */
  byLevel: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() }),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Highest score first (ties by legal name). */
  items: z.array(riskScoreView),
});
export type RiskPage = z.infer<typeof riskPage>;

export const listRiskScores = defineContract({
  method: 'GET',
  path: '/api/risk-scores',
  summary: 'Risk scores of the partners, highest first, each explained factor by factor',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  query: riskListQuery,
  response: riskPage,
});

export const getRiskScore = defineContract({
  method: 'GET',
  path: '/api/risk-scores/:organisationId',
  summary: 'One partner’s risk score, explained factor by factor',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  params: z.object({ organisationId: uuid }),
  response: riskScoreView,
});
