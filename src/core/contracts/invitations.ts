import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  invitationAcceptInput,
  invitationInput,
  invitationListQuery,
  invitationLookup,
  invitationLookupInput,
  invitationPage,
  invitationSent,
  invitationView,
} from '../invitations/invitation.schema.js';
import { sessionView } from '../users/user.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listInvitations = defineContract({
  method: 'GET',
  path: '/api/invitations',
  summary: 'List invitations (the latest link of each invited person), by organisation, state or audience',
  tags: ['invitations'],
  access: 'session',
  action: 'user.read',
  query: invitationListQuery,
  response: invitationPage,
});

/**
 * Partner users: admin and quality manager (`user.invite_partner`); internal users (auditor, evaluator…):
 * admin only (`user.manage` besides). Creates the account without a password and e-mails a one-time link.
 */
export const createInvitation = defineContract({
  method: 'POST',
  path: '/api/invitations',
  summary: 'Invite a person by e-mail: creates the account without a password and sends a one-time link',
  tags: ['invitations'],
  access: 'session',
  action: 'user.invite_partner',
  body: invitationInput,
  response: invitationSent,
  status: 201,
});

export const resendInvitation = defineContract({
  method: 'POST',
  path: '/api/invitations/:id/resend',
  summary: 'Send a new link (valid again for the full period); the previous link stops working',
  tags: ['invitations'],
  access: 'session',
  action: 'user.invite_partner',
  params: byId,
  response: invitationSent,
  status: 201,
});

export const revokeInvitation = defineContract({
  method: 'POST',
  path: '/api/invitations/:id/revoke',
  summary: 'Withdraw an invitation not yet accepted: its link stops working and the account is deactivated',
  tags: ['invitations'],
  access: 'session',
  action: 'user.invite_partner',
  params: byId,
  response: invitationView,
});

/** Public (the person has no account yet): POST so that the token never appears in an access log. */
export const lookupInvitation = defineContract({
  method: 'POST',
  path: '/api/invitations/lookup',
  summary: 'What an invitation link is worth (pending, accepted, expired, revoked, replaced, unknown)',
  tags: ['invitations'],
  access: 'public',
  body: invitationLookupInput,
  response: invitationLookup,
});

export const acceptInvitation = defineContract({
  method: 'POST',
  path: '/api/invitations/accept',
  summary: 'Redeem an invitation link: choose a password; the link is spent and the person is signed in',
  tags: ['invitations'],
  access: 'public',
  body: invitationAcceptInput,
  response: sessionView,
  status: 201,
});
