import { Cron } from 'croner';
import { systemActor } from '../core/access/policy.js';
import type { Database, Engine } from '../db/database.js';
import { withControlRunLock } from '../db/repositories/control-rules.repository.js';
import type { ControlRunService } from './control-run.service.js';
import type { FindingService } from './finding.service.js';

/** Where the scheduler reports (Fastify's logger in the server). */
export interface SchedulerLog {
  info(obj: object, message: string): void;
  error(obj: object, message: string): void;
}

export interface SchedulerOptions {
  db: Database;
  engine: Engine;
  controlRuns: Pick<ControlRunService, 'run'>;
  /** Reminders and escalations of late findings, run after the controls when given. */
  findings?: Pick<FindingService, 'runReminders'>;
  log: SchedulerLog;
  /** When the controls run: every night at 02:30, Paris time, unless told otherwise. */
  pattern?: string;
  timezone?: string;
}

export type TickOutcome = 'ran' | 'busy' | 'failed';

/**
 * The in-process scheduler: runs the automated controls every night. Any number of servers may run it:
 * each tick takes a PostgreSQL advisory lock (pg_try_advisory_lock) and a server that does not get it
 * skips the tick, so one runner at a time across servers; within a process, a tick that finds the previous
 * one still running skips too.
 */
export class Scheduler {
  private cron: Cron | undefined;
  private running = false;

  constructor(private readonly options: SchedulerOptions) {}

  start(): this {
    this.cron ??= new Cron(
      this.options.pattern ?? '30 2 * * *',
      { timezone: this.options.timezone ?? 'Europe/Paris', name: 'habilis-controls' },
      () => {
        void this.tick();
      },
    );
    return this;
  }

  stop(): void {
    this.cron?.stop();
    this.cron = undefined;
  }

  /** When the next run is due (null when stopped). */
  nextRun(): Date | null {
    return this.cron?.nextRun() ?? null;
  }

  /** One scheduled run, now: `busy` when another runner (here or on another server) holds it. */
  async tick(): Promise<TickOutcome> {
    if (this.running) return 'busy';
    this.running = true;
    const { log } = this.options;
    try {
      const ran = await withControlRunLock(this.options.db, this.options.engine, async () => {
        const summary = await this.options.controlRuns.run(systemActor('scheduler'), {});
        log.info({ findings: summary.findings, rules: summary.rules.length }, 'scheduled controls: done');
        if (this.options.findings) {
          const reminders = await this.options.findings.runReminders(systemActor('scheduler'));
          log.info(
            { reminded: reminders.reminded, escalated: reminders.escalated },
            'scheduled finding reminders: done',
          );
        }
      });
      if (!ran) log.info({}, 'scheduled controls: another server is running them, skipped');
      return ran ? 'ran' : 'busy';
    } catch (error) {
      log.error({ err: error }, 'scheduled controls: failed');
      return 'failed';
    } finally {
      this.running = false;
    }
  }
}
