import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  sanctionInput,
  sanctionLevels,
  sanctionListQuery,
  sanctionPage,
  sanctionPatch,
  sanctionReplyInput,
  sanctionView,
} from '../sanctions/sanction.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listSanctions = defineContract({
  method: 'GET',
  path: '/api/sanctions',
  summary: 'List sanctions (a partner sees its own, once notified)',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.read',
  query: sanctionListQuery,
  response: sanctionPage,
});

export const getSanction = defineContract({
  method: 'GET',
  path: '/api/sanctions/:id',
  summary: 'One sanction',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.read',
  params: byId,
  response: sanctionView,
});

export const createSanction = defineContract({
  method: 'POST',
  path: '/api/sanctions',
  summary: 'Propose a sanction, with its reasons and the findings behind it',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.manage',
  body: sanctionInput,
  response: sanctionView,
  status: 201,
});

export const updateSanction = defineContract({
  method: 'PATCH',
  path: '/api/sanctions/:id',
  summary: 'Notify, make final or cancel a sanction; move the reply deadline',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.manage',
  params: byId,
  body: sanctionPatch,
  response: sanctionView,
});

export const replyToSanction = defineContract({
  method: 'POST',
  path: '/api/sanctions/:id/reply',
  summary: 'The partner’s reply to a notified sanction, by the deadline',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.answer',
  params: byId,
  body: sanctionReplyInput,
  response: sanctionView,
});

const suggestionReason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('critical_finding'), count: z.number().int() }),
  z.object({ code: z.literal('repeated_major'), count: z.number().int(), months: z.number().int() }),
  z.object({ code: z.literal('major_finding'), count: z.number().int() }),
  z.object({ code: z.literal('minor_findings'), count: z.number().int() }),
  z.object({ code: z.literal('previous_sanction'), level: z.enum(sanctionLevels), decidedOn: z.string() }),
]);

export const suggestSanction = defineContract({
  method: 'GET',
  path: '/api/sanctions/suggestion',
  summary: 'The level of the scale a partner’s findings and past sanctions point to, with the reasons',
  tags: ['sanctions'],
  access: 'session',
  action: 'sanction.manage',
  query: z.object({ organisationId: uuid }),
  response: z.object({
    suggestion: z.object({ level: z.enum(sanctionLevels), reasons: z.array(suggestionReason) }).nullable(),
  }),
});
