import { z } from 'zod';
import { roles } from '../access/policy.js';
import { email, page, pageQuery, text, uuid } from '../common.schema.js';
import { locales, password } from '../users/user.schema.js';

/**
 * What an invitation link is worth: `pending` (usable), `accepted` (used), `expired`, `revoked` (withdrawn
 * by the certifier), `replaced` (a newer link was sent), `unknown` (no such link).
 */
export const invitationStates = ['pending', 'accepted', 'expired', 'revoked', 'replaced'] as const;
export type InvitationState = (typeof invitationStates)[number];

/** An invitation's state from its dates; `now` decides expiry. */
export function invitationState(
  row: {
    acceptedAt: Date | null;
    revokedAt: Date | null;
    replacedAt: Date | null;
    expiresAt: Date;
  },
  now: Date,
): InvitationState {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  if (row.replacedAt) return 'replaced';
  return row.expiresAt <= now ? 'expired' : 'pending';
}

export const invitationInput = z
  .strictObject({
    email,
    displayName: text(200),
    role: z.enum(roles),
    organisationId: uuid.optional().nullable(),
    locale: z.enum(locales).default('fr'),
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
  });
export type InvitationInput = z.input<typeof invitationInput>;

export const invitationView = z.object({
  id: uuid,
  userId: uuid,
  email: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  organisationId: uuid.nullable(),
  organisationName: z.string().nullable(),
  state: z.enum(invitationStates),
  invitedBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  mailedAt: z.iso.datetime().nullable(),
  mailError: z.string().nullable(),
  acceptedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type InvitationView = z.infer<typeof invitationView>;

/** What sending an invitation did: the invitation, its link (shown once), and whether the mail left. */
export const invitationSent = z.object({
  invitation: invitationView,
  link: z.string(),
  mail: z.object({
    delivered: z.boolean(),
    via: z.enum(['smtp', 'outbox']),
    error: z.string().nullable(),
  }),
});
export type InvitationSent = z.infer<typeof invitationSent>;

export const invitationListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  state: z.enum(invitationStates).optional(),
  /** Only partner invitations (`partner`) or only internal ones (`internal`). */
  audience: z.enum(['partner', 'internal']).optional(),
  q: z.string().trim().max(200).optional(),
});
export type InvitationListQuery = z.output<typeof invitationListQuery>;

export const invitationPage = page(invitationView);
export type InvitationPage = z.infer<typeof invitationPage>;

const token = z.string().min(20).max(200);

export const invitationLookupInput = z.strictObject({ token });

/**
 * What the person holding a link may learn before choosing a password: the state always; the name, address,
 * organisation and role only while the link is usable.
 */
export const invitationLookup = z.object({
  state: z.enum([...invitationStates, 'unknown']),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: z.enum(roles).nullable(),
  organisationName: z.string().nullable(),
  invitedBy: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});
export type InvitationLookup = z.infer<typeof invitationLookup>;

export const invitationAcceptInput = z
  .strictObject({
    token,
    /** When given, must be the invited address (a check that the right person is at the keyboard). */
    email: email.optional(),
    displayName: text(200),
    password,
  })
  .superRefine((u, ctx) => {
    const name = u.email?.toLowerCase().split('@')[0];
    if (name && u.password.toLowerCase().includes(name))
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'must not contain the e-mail name' });
  });
export type InvitationAcceptInput = z.input<typeof invitationAcceptInput>;
