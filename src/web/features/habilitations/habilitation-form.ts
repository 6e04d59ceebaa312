import type { z } from 'zod';
import type { HabilitationScope } from '../../../core/habilitations/habilitation.js';
import type {
  HabilitationDetail,
  HabilitationInput,
  habilitationPatch,
} from '../../../core/habilitations/habilitation.schema.js';

/** The conditions the form edits as fields; any other key of `conditions` is kept as it is. */
export const conditionFields = ['minimumHours', 'maxGroupSize', 'inPersonShare', 'notes'] as const;

export interface HabilitationFormValues {
  organisationId: string | null;
  certificationId: string | null;
  scope: HabilitationScope;
  coversAllSkillBlocks: boolean;
  skillBlockIds: string[];
  territory: string;
  /** Sites of the organisation where the habilitation applies. */
  siteIds: string[];
  startsOn: string | null;
  endsOn: string | null;
  minimumHours: string;
  maxGroupSize: string;
  /** Typed as a percentage (50), stored as a share (0.5). */
  inPersonPercent: string;
  conditionNotes: string;
  /** Conditions the form has no field for, carried over untouched. */
  otherConditions: Record<string, unknown>;
  reasons: string;
}

export const formFields: readonly string[] = [
  'organisationId',
  'certificationId',
  'scope',
  'coversAllSkillBlocks',
  'skillBlockIds',
  'territory',
  'siteIds',
  'startsOn',
  'endsOn',
  'minimumHours',
  'maxGroupSize',
  'inPersonPercent',
  'conditionNotes',
  'reasons',
];

export const emptyHabilitationValues = (today: string): HabilitationFormValues => ({
  organisationId: null,
  certificationId: null,
  scope: 'both',
  coversAllSkillBlocks: true,
  skillBlockIds: [],
  territory: '',
  siteIds: [],
  startsOn: today,
  endsOn: null,
  minimumHours: '',
  maxGroupSize: '',
  inPersonPercent: '',
  conditionNotes: '',
  otherConditions: {},
  reasons: '',
});

const numberText = (value: unknown): string =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

export function habilitationValuesOf(h: HabilitationDetail): HabilitationFormValues {
  const { minimumHours, maxGroupSize, inPersonShare, notes, ...other } = h.conditions;
  return {
    organisationId: h.organisationId,
    certificationId: h.certificationId,
    scope: h.scope,
    coversAllSkillBlocks: h.coversAllSkillBlocks,
    skillBlockIds: h.skillBlocks.map((b) => b.id),
    territory: h.territory ?? '',
    siteIds: h.sites.map((s) => s.id),
    startsOn: h.startsOn,
    endsOn: h.endsOn,
    minimumHours: numberText(minimumHours),
    maxGroupSize: numberText(maxGroupSize),
    // 0.5 → "50", without float noise (0.29 * 100 = 28.999…).
    inPersonPercent: typeof inPersonShare === 'number' ? String(Math.round(inPersonShare * 1000) / 10) : '',
    conditionNotes: typeof notes === 'string' ? notes : '',
    otherConditions: other,
    reasons: '',
  };
}

export type ConditionIssue = {
  field: 'minimumHours' | 'maxGroupSize' | 'inPersonPercent';
  kind: 'wholeNumber' | 'percent';
};

/** Reads "1 200", "16", "50,5" as a number; null for an empty text, NaN for anything else. */
export function parseNumberText(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (compact === '') return null;
  return /^\d+(\.\d+)?$/.test(compact) ? Number(compact) : Number.NaN;
}

/**
 * The `conditions` object from the form: the fields it knows, checked (whole positive numbers, a percentage
 * turned into a share), merged over the conditions it does not know.
 */
export function conditionsOf(values: HabilitationFormValues): {
  conditions: Record<string, unknown>;
  issues: ConditionIssue[];
} {
  const conditions: Record<string, unknown> = { ...values.otherConditions };
  const issues: ConditionIssue[] = [];
  const whole = (field: 'minimumHours' | 'maxGroupSize') => {
    const n = parseNumberText(values[field]);
    if (n === null) return;
    if (!Number.isInteger(n) || n <= 0) issues.push({ field, kind: 'wholeNumber' });
    else conditions[field] = n;
  };
  whole('minimumHours');
  whole('maxGroupSize');
  const percent = parseNumberText(values.inPersonPercent);
  if (percent !== null) {
    if (Number.isNaN(percent) || percent > 100) issues.push({ field: 'inPersonPercent', kind: 'percent' });
    else conditions.inPersonShare = Math.round(percent * 10) / 1000;
  }
  if (values.conditionNotes.trim() !== '') conditions.notes = values.conditionNotes.trim();
  return { conditions, issues };
}

const territoryOf = (v: HabilitationFormValues) => (v.territory.trim() === '' ? null : v.territory.trim());

/** The body of POST /api/habilitations. Empty ids go as '' so the shared schema names the missing field. */
export function toHabilitationInput(
  values: HabilitationFormValues,
  conditions: Record<string, unknown>,
): HabilitationInput {
  return {
    organisationId: values.organisationId ?? '',
    certificationId: values.certificationId ?? '',
    scope: values.scope,
    coversAllSkillBlocks: values.coversAllSkillBlocks,
    skillBlockIds: values.coversAllSkillBlocks ? [] : values.skillBlockIds,
    territory: territoryOf(values),
    siteIds: values.siteIds,
    startsOn: values.startsOn ?? '',
    endsOn: values.endsOn,
    conditions,
    ...(values.reasons.trim() ? { reasons: values.reasons.trim() } : {}),
  };
}

/** The body of PATCH /api/habilitations/:id: every term the form shows (organisation and certification stay). */
export function toHabilitationPatch(
  values: HabilitationFormValues,
  conditions: Record<string, unknown>,
): z.input<typeof habilitationPatch> {
  return {
    scope: values.scope,
    coversAllSkillBlocks: values.coversAllSkillBlocks,
    skillBlockIds: values.coversAllSkillBlocks ? [] : values.skillBlockIds,
    territory: territoryOf(values),
    siteIds: values.siteIds,
    startsOn: values.startsOn ?? '',
    endsOn: values.endsOn,
    conditions,
  };
}
