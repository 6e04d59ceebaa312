import { z } from 'zod';
import { roles } from '../access/policy.js';
import { email, page, pageQuery, text, uuid } from '../common.schema.js';

export const locales = ['fr', 'en'] as const;

/**
 * Password rules (ANSSI-style length over composition): 12 to 256 characters, at least 3 of the 4 kinds
 * (lower, upper, digit, other), and not the e-mail itself.
 */
export const password = z
  .string()
  .min(12, 'at least 12 characters')
  .max(256, 'at most 256 characters')
  .refine((p) => {
    const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(p)).length;
    return kinds >= 3;
  }, 'use at least three of: lower case, upper case, digits, other characters');

export const userInput = z
  .strictObject({
    email,
    displayName: text(200),
    role: z.enum(roles),
    organisationId: uuid.optional().nullable(),
    locale: z.enum(locales).default('fr'),
    password: password.optional(),
  })
  .superRefine((u, ctx) => {
    if (u.role === 'partner' && !u.organisationId)
      ctx.addIssue({
        code: 'custom',
        path: ['organisationId'],
        message: 'a partner user belongs to an organisation',
      });
    if (u.role !== 'partner' && u.organisationId)
      ctx.addIssue({
        code: 'custom',
        path: ['organisationId'],
        message: 'only partner users belong to an organisation',
      });
    if (u.password?.toLowerCase().includes(u.email.toLowerCase().split('@')[0] ?? '\u0000'))
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'must not contain the e-mail name' });
  });
export type UserInput = z.input<typeof userInput>;

export const userPatch = z.strictObject({
  displayName: text(200).optional(),
  role: z.enum(roles).optional(),
  locale: z.enum(locales).optional(),
  isActive: z.boolean().optional(),
});
export type UserPatch = z.infer<typeof userPatch>;

export const userView = z.object({
  id: uuid,
  email: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  organisationId: z.string().nullable(),
  locale: z.enum(locales),
  isActive: z.boolean(),
  isLocked: z.boolean(),
  /** False until the person chose a password (an invitation not yet accepted). */
  hasPassword: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type UserView = z.infer<typeof userView>;

export const userListQuery = pageQuery.extend({ q: z.string().trim().max(200).optional() });
export const userPage = page(userView);

export const loginInput = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof loginInput>;

export const setupInput = z.strictObject({
  token: z.string().min(20).max(200),
  email,
  displayName: text(200),
  password,
});
export type SetupInput = z.infer<typeof setupInput>;

export const passwordChangeInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
});

/** Who is signed in, as the web app needs it. */
export const sessionView = z.object({
  user: userView,
  csrfToken: z.string(),
  permissions: z.array(z.string()),
});
export type SessionView = z.infer<typeof sessionView>;
