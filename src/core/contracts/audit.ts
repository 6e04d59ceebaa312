import { z } from 'zod';
import { pageQuery } from '../common.schema.js';
import { defineContract } from './contract.js';

export const auditEntryView = z.object({
  seq: z.number().int(),
  at: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  lastHash: z.string().nullable(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof auditVerification>;

/** The audit-log list's filters (the list and its export). */
export const auditListQuery = pageQuery.extend({
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  /** Entries about this organisation and everything that belongs to it (habilitations, conventions…). */
  organisationId: z.uuid().optional(),
});
export type AuditListQuery = z.output<typeof auditListQuery>;

export const listAuditEntries = defineContract({
  method: 'GET',
  path: '/api/audit-log',
  summary: 'Audit-log entries, newest first, filtered by entity or by organisation',
  tags: ['audit'],
  access: 'session',
  action: 'audit.read',
  query: auditListQuery,
  response: z.object({ items: z.array(auditEntryView), total: z.number().int() }),
});

export const verifyAuditLog = defineContract({
  method: 'POST',
  path: '/api/audit-log/verify',
  summary: 'Recompute the hash chain and name the first broken entry',
  tags: ['audit'],
  access: 'session',
  action: 'audit.verify',
  response: auditVerification,
});
