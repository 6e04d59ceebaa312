import { ConfigError, loadConfig } from '../config/env.js';
import { openServices } from '../services/runtime.js';
import { Scheduler } from '../services/scheduler.js';
import { buildApp } from './app.js';

/** config → database → migrations → services → app → listen. The only place that listens. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`habilis: configuration: ${problem}`);
      process.exit(78);
    }
    throw error;
  }
  const { services, migration, location, close } = await openServices(config, { listenForChanges: true });
  const app = await buildApp({ services, config });
  // Where mail went (SMTP, or the outbox file and its link when no SMTP_URL is set) shows in the server log.
  services.mailer.setLog((level, line, details) => app.log[level](details, line));
  if (services.mailer.via === 'outbox')
    app.log.warn(`mail: SMTP_URL is not set; messages are written to ${config.dataDir}/outbox`);
  app.log.info(
    { engine: services.engine, migration: migration.current, applied: migration.applied.length },
    `database: ${location}`,
  );

  const setupLink = await services.auth.firstAdminSetupLink();
  if (setupLink) {
    // Printed plainly, not only in the JSON log, so the person who started Habilis sees it.
    console.log(
      `\n  Habilis has no account yet. Create the first administrator (link valid 24 hours):\n\n    ${setupLink}\n`,
    );
  }

  // Nightly automated controls, one server at a time (HABILIS_SCHEDULER=off to leave them to cron).
  const scheduler = config.scheduler
    ? new Scheduler({
        db: services.ctx.db,
        engine: services.engine,
        controlRuns: services.controlRuns,
        findings: services.findings,
        log: app.log,
      }).start()
    : undefined;
  if (scheduler) app.log.info({ next: scheduler.nextRun() }, 'scheduler: nightly controls');

  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    scheduler?.stop();
    await app.close();
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  console.log(
    `  Habilis is running on ${config.publicUrl} (API documentation: ${config.publicUrl}/api/docs)`,
  );
}

main().catch((error: unknown) => {
  console.error('habilis: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
