import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { certificationCodeError, compactIdentifier, skillBlockCodeError } from '../validators/identifiers.js';
import { skillBlockCodePrefix } from './certification.js';

export const registers = ['RNCP', 'RS'] as const;
export type Register = (typeof registers)[number];

/** A fiche code as typed (`rncp 35419`, `RNCP-35419`), compacted, upper-cased and checked. */
export const certificationCode = z
  .string()
  .max(40)
  .transform((v) => compactIdentifier(v).toUpperCase())
  .superRefine((v, ctx) => {
    const problem = certificationCodeError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A skill block code (`RNCP35419BC01`), compacted, upper-cased and checked. */
export const skillBlockCode = z
  .string()
  .max(40)
  .transform((v) => compactIdentifier(v).toUpperCase())
  .superRefine((v, ctx) => {
    const problem = skillBlockCodeError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Long free texts of a fiche (competences, assessment rules), as published. */
const longText = z.string().trim().max(50_000).optional().nullable();

export const skillBlockInput = z.strictObject({
  code: skillBlockCode,
  title: text(500),
  competences: longText,
  assessmentRules: longText,
});
export type SkillBlockInput = z.input<typeof skillBlockInput>;

/** A change to a skill block: its code is its identity and stays. */
export const skillBlockPatch = skillBlockInput.omit({ code: true }).partial().strict();
export type SkillBlockPatch = z.output<typeof skillBlockPatch>;

const certificationFields = {
  code: certificationCode,
  title: text(500),
  /** The level as published (`5`, `6`, `7`… in the 2019 nomenclature); RS fiches have none. */
  level: text(40).optional().nullable(),
  /** France Compétences' state of the fiche, as published (`Active`, `Inactive`…). */
  state: text(60).optional().nullable(),
  isActive: z.boolean(),
  /** Whether this certifier owns the fiche (rather than following another certifier's). */
  isOwned: z.boolean(),
  registeredOn: isoDate.optional().nullable(),
  endsOn: isoDate.optional().nullable(),
};

/** What certifier staff give to create a certification, with its skill blocks (codes start with its code). */
export const certificationInput = z
  .strictObject({
    ...certificationFields,
    isActive: z.boolean().default(true),
    isOwned: z.boolean().default(false),
    skillBlocks: z.array(skillBlockInput).max(100).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.registeredOn && c.endsOn && c.endsOn < c.registeredOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'must not be before registeredOn' });
    // An invalid fiche code is reported on its own field; measuring blocks against it would only add noise.
    const prefix = certificationCodeError(c.code) === null ? skillBlockCodePrefix(c.code) : null;
    const seen = new Set<string>();
    c.skillBlocks.forEach((block, i) => {
      if (prefix !== null && !block.code.startsWith(prefix))
        ctx.addIssue({
          code: 'custom',
          path: ['skillBlocks', i, 'code'],
          message: `must start with ${prefix}`,
        });
      if (seen.has(block.code))
        ctx.addIssue({ code: 'custom', path: ['skillBlocks', i, 'code'], message: 'appears twice' });
      seen.add(block.code);
    });
  });
export type CertificationInput = z.input<typeof certificationInput>;
export type CertificationData = z.output<typeof certificationInput>;

/** A partial update (no defaults: an absent field stays as it is); the code is the identity and stays. */
export const certificationPatch = z.strictObject(certificationFields).omit({ code: true }).partial();
export type CertificationPatch = z.output<typeof certificationPatch>;

export const skillBlockView = z.object({
  id: uuid,
  certificationId: uuid,
  code: z.string(),
  title: z.string(),
  competences: z.string().nullable(),
  assessmentRules: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type SkillBlockView = z.infer<typeof skillBlockView>;

export const certificationView = z.object({
  id: uuid,
  code: z.string(),
  register: z.enum(registers),
  title: z.string(),
  level: z.string().nullable(),
  state: z.string().nullable(),
  isActive: z.boolean(),
  isOwned: z.boolean(),
  registeredOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  skillBlockCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CertificationView = z.infer<typeof certificationView>;

/** One certification with its skill blocks, in code order. */
export const certificationDetail = certificationView.extend({ skillBlocks: z.array(skillBlockView) });
export type CertificationDetail = z.infer<typeof certificationDetail>;

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const certificationSortKeys = ['code', 'title', 'createdAt'] as const;

export const certificationListQuery = pageQuery.extend({
  /** Searches the code (`RNCP354`, `35419`) and the title. */
  q: z.string().trim().max(200).optional(),
  active: booleanQuery,
  owned: booleanQuery,
  register: z.enum(registers).optional(),
  sort: z.enum(certificationSortKeys).default('code'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type CertificationListQuery = z.output<typeof certificationListQuery>;

export const certificationPage = page(certificationView);
export type CertificationPage = z.infer<typeof certificationPage>;
