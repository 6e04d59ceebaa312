import { z } from 'zod';
import { defineContract } from './contract.js';

export const healthView = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.object({
    engine: z.enum(['pglite', 'postgresql']),
    migration: z.string().nullable(),
    latestMigration: z.string(),
  }),
  needsSetup: z.boolean(),
});

export const health = defineContract({
  method: 'GET',
  path: '/api/health',
  summary: 'Liveness, database engine and migration version',
  tags: ['system'],
  access: 'public',
  response: healthView,
});
