import { z } from 'zod';
import { ruleId } from '../controls/control.schema.js';
import { severities } from '../findings/finding.schema.js';
import { defineContract } from './contract.js';

// The automated controls (rule engine): their catalogue and a run. One shape per schema, next to the
// contracts that use them (no other part of core needs them).

const localised = z.object({ fr: z.string(), en: z.string() });

export const controlRuleView = z.object({
  id: z.string(),
  title: localised,
  rationale: localised,
  /** The regulatory or contractual texts the rule enforces. */
  sources: z.array(z.object({ kind: z.string(), reference: z.string() })),
  severity: z.enum(severities),
  /** What it checks and how (the SQL idea). */
  checks: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  /** The control recorded by the rule's last run; its findings are listed by GET /api/findings?controlId=. */
  lastRun: z
    .object({ controlId: z.uuid(), performedOn: z.string().nullable(), at: z.iso.datetime() })
    .nullable(),
  /** Live (not closed) findings of the rule. */
  openFindings: z.number().int(),
});
export type ControlRuleView = z.infer<typeof controlRuleView>;

export const controlRuleCatalogue = z.object({ items: z.array(controlRuleView) });
export type ControlRuleCatalogue = z.infer<typeof controlRuleCatalogue>;

/** Run every rule, or only `ruleId`. */
export const controlRunInput = z.strictObject({ ruleId: ruleId.optional() });
export type ControlRunInput = z.input<typeof controlRunInput>;

const findingCounts = z.object({
  /** Findings opened by this run. */
  opened: z.number().int(),
  /** Live findings found again (refreshed, never duplicated). */
  updated: z.number().int(),
  /** Live findings whose condition is gone, closed by this run. */
  resolved: z.number().int(),
});

export const controlRuleRunSummary = z.object({
  id: z.string(),
  title: z.string(),
  /** The texts the rule enforces, joined. */
  source: z.string(),
  severity: z.enum(severities),
  /** The control that records this run (kind `rule`): GET /api/findings?controlId= lists what it found. */
  controlId: z.uuid(),
  subjects: z.number().int(),
  findings: findingCounts,
});
export type ControlRuleRunSummary = z.infer<typeof controlRuleRunSummary>;

export const controlRunSummary = z.object({
  /** The day the rules judged (certifier's time zone). */
  asOf: z.string(),
  rules: z.array(controlRuleRunSummary),
  findings: findingCounts,
});
export type ControlRunSummary = z.infer<typeof controlRunSummary>;

export const listControlRules = defineContract({
  method: 'GET',
  path: '/api/control-rules',
  summary: 'The automated controls: what each checks, its sources, last run and live findings',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  response: controlRuleCatalogue,
});

export const runControlRules = defineContract({
  method: 'POST',
  path: '/api/control-rules/run',
  summary: 'Run every automated control, or one (ruleId): findings opened, refreshed and resolved',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  body: controlRunInput,
  response: controlRunSummary,
});
