import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of `process.env`. Every variable is validated once, at start; a wrong value stops the
 * start with one line per problem. See .env.example for the documented list.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  HABILIS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Habilis <no-reply@habilis.local>'),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  PUBLIC_URL: z.url().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HABILIS_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  HABILIS_SCHEDULER: z.enum(['on', 'off']).default('on'),
  READ_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(2000),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** The embedded database's own directory, inside the data dir. */
  pgliteDir: string;
  filesDir: string;
  databaseUrl: string | undefined;
  testDatabaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How long an invitation link stays usable, in days. */
  invitationDays: number;
  publicUrl: string;
  sessionSecret: string;
  logLevel: string;
  /** `auto`: secure cookies when PUBLIC_URL is https. */
  secureCookies: boolean;
  /** Requests per minute per session (or per IP without one), and sign-in attempts per minute per IP. */
  rateLimit: { perMinute: number; loginPerMinute: number };
  /** Whether the server runs scheduled jobs (the nightly controls); `HABILIS_SCHEDULER=off` turns them off. */
  scheduler: boolean;
  /** How many list responses the server keeps until the data changes (src/server/response-cache.ts); 0: none. */
  readCacheEntries: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the secret from the data dir, creating it on first start so sessions survive restarts. */
function sessionSecretIn(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Parses an environment (by default the process's) into a Config; throws ConfigError listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.HABILIS_DATA_DIR);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    pgliteDir: path.join(dataDir, 'pglite'),
    filesDir: path.join(dataDir, 'files'),
    databaseUrl: e.DATABASE_URL,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    invitationDays: e.INVITATION_TTL_DAYS,
    publicUrl,
    sessionSecret: e.SESSION_SECRET ?? sessionSecretIn(dataDir),
    logLevel: e.LOG_LEVEL,
    secureCookies:
      e.HABILIS_SECURE_COOKIES === 'auto'
        ? publicUrl.startsWith('https:')
        : e.HABILIS_SECURE_COOKIES === 'true',
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, loginPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE },
    scheduler: e.HABILIS_SCHEDULER === 'on',
    readCacheEntries: e.READ_CACHE_ENTRIES,
  };
}
