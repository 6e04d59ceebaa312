import { z } from 'zod';
import { auditKinds } from '../controls/checklist.schema.js';
import { severities } from '../findings/finding.schema.js';

/** Ages of live findings, in days since they were opened. */
export const ageBuckets = ['d30', 'd90', 'd180', 'older'] as const;
export type AgeBucket = (typeof ageBuckets)[number];

/** The bucket of a finding opened `days` days ago. */
export const ageBucketOf = (days: number): AgeBucket =>
  days <= 30 ? 'd30' : days <= 90 ? 'd90' : days <= 180 ? 'd180' : 'older';

export const funnelZones = ['inside', 'warning_high', 'warning_low', 'alarm_high', 'alarm_low'] as const;

export const qualityOverview = z.object({
  asOf: z.string(),
  findings: z.object({
    live: z.number().int(),
    /** Waiting for the partner past the due date. */
    late: z.number().int(),
    escalated: z.number().int(),
    bySeverity: z.array(
      z.object({
        severity: z.enum(severities),
        total: z.number().int(),
        ages: z.object({
          d30: z.number().int(),
          d90: z.number().int(),
          d180: z.number().int(),
          older: z.number().int(),
        }),
      }),
    ),
  }),
  plan: z.object({
    year: z.number().int(),
    total: z.number().int(),
    done: z.number().int(),
    inProgress: z.number().int(),
    planned: z.number().int(),
    cancelled: z.number().int(),
    /** Planned or in progress with a planned date already past. */
    overdue: z.number().int(),
    byKind: z.array(z.object({ kind: z.enum(auditKinds), total: z.number().int(), done: z.number().int() })),
  }),
  /** Success rates over the last twelve months, per certification, each partner against the network. */
  funnel: z.array(
    z.object({
      certificationId: z.string(),
      code: z.string(),
      title: z.string(),
      presented: z.number().int(),
      passed: z.number().int(),
      partners: z.array(
        z.object({
          organisationId: z.string(),
          legalName: z.string(),
          presented: z.number().int(),
          passed: z.number().int(),
          zone: z.enum(funnelZones),
        }),
      ),
    }),
  ),
});
export type QualityOverview = z.infer<typeof qualityOverview>;
