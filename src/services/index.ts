import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { currentMigration, latestMigration } from '../db/migrate.js';
import { AuditService } from './audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { OrganisationService } from './organisation.service.js';
import type { ServiceContext } from './service-context.js';
import { UserService } from './user.service.js';

export type { SessionContext } from './auth/auth.service.js';
export type { ServiceContext } from './service-context.js';

/** Every use case of Habilis, wired to one database. The server and the CLI both start from here. */
export function createServices(
  handle: DatabaseHandle,
  config: ServiceContext['config'],
  now: () => Date = () => new Date(),
) {
  const ctx: ServiceContext = { db: handle.db, now, config };
  return {
    ctx,
    engine: handle.engine,
    audit: new AuditService(handle.db),
    auth: new AuthService(ctx),
    organisations: new OrganisationService(ctx),
    users: new UserService(ctx),
    system: {
      async health(version: string) {
        return {
          status: 'ok' as const,
          version,
          database: {
            engine: handle.engine,
            migration: await currentMigration(handle.db),
            latestMigration: latestMigration(),
          },
          needsSetup: await new AuthService(ctx).needsSetup(),
        };
      },
    },
  };
}

export type Services = ReturnType<typeof createServices>;
export type ServicesConfig = Pick<Config, 'publicUrl' | 'filesDir' | 'dataDir'>;
