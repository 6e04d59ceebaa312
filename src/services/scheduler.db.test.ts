import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase, testEngine } from '../../test/database.js';
import type { DatabaseHandle } from '../db/database.js';
import { Scheduler } from './scheduler.js';

describe(Scheduler.name, () => {
  let handle: DatabaseHandle;
  const log = { info: () => {}, error: () => {} };

  beforeAll(async () => {
    handle = await newTestDatabase();
  });
  afterAll(() => handle.close());

  /** A control-run service that takes `ms` and counts its runs (the runs themselves are tested elsewhere). */
  function slowRuns(ms: number) {
    const calls: string[] = [];
    return {
      calls,
      run: async (actor: { label: string }) => {
        calls.push(actor.label);
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { asOf: '2026-11-23', rules: [], findings: { opened: 0, updated: 0, resolved: 0 } };
      },
    };
  }

  it('a tick runs the controls as the scheduler, and releases the lock for the next night', async () => {
    const runs = slowRuns(0);
    const sut = new Scheduler({ db: handle.db, engine: handle.engine, controlRuns: runs, log });
    expect(await sut.tick()).toBe('ran');
    expect(await sut.tick()).toBe('ran');
    expect(runs.calls).toEqual(['scheduler', 'scheduler']);
  });

  it('one runner at a time: a tick while another runs skips', async () => {
    const runs = slowRuns(200);
    const a = new Scheduler({ db: handle.db, engine: handle.engine, controlRuns: runs, log });
    const first = a.tick();
    expect(await a.tick()).toBe('busy');
    expect(await first).toBe('ran');
    expect(runs.calls).toHaveLength(1);
  });

  const heldLocks = async () =>
    Number(
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and classid = ${0x4842_4c53} and objid = 1 and granted`.execute(
          handle.db,
        )
      ).rows[0]?.n,
    );

  it('holds the database lock while it runs, and a server that does not get it skips the tick', async () => {
    const runs = slowRuns(0);
    const sut = new Scheduler({ db: handle.db, engine: handle.engine, controlRuns: runs, log });
    const other = new Scheduler({ db: handle.db, engine: handle.engine, controlRuns: slowRuns(300), log });
    const running = other.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await heldLocks()).toBe(1);
    if (testEngine() === 'postgresql') {
      // Another server: the lock is held on another connection, so this one skips.
      expect(await sut.tick()).toBe('busy');
      expect(runs.calls).toEqual([]);
    }
    // (PGlite is one session in one process: no second server can share its directory.)
    expect(await running).toBe('ran');
    expect(await heldLocks()).toBe(0);
    expect(await sut.tick()).toBe('ran');
  });

  it('schedules the nightly run at 02:30 Paris time, and stops', () => {
    const sut = new Scheduler({
      db: handle.db,
      engine: handle.engine,
      controlRuns: slowRuns(0),
      log,
    }).start();
    const next = sut.nextRun();
    expect(next).not.toBeNull();
    expect(
      new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', timeStyle: 'short' }).format(next!),
    ).toBe('02:30');
    sut.stop();
    expect(sut.nextRun()).toBeNull();
  });

  it('a failing run is logged and reported, not thrown', async () => {
    const errors: unknown[] = [];
    const sut = new Scheduler({
      db: handle.db,
      engine: handle.engine,
      controlRuns: { run: async () => Promise.reject(new Error('boom')) },
      log: { info: () => {}, error: (obj) => errors.push(obj) },
    });
    expect(await sut.tick()).toBe('failed');
    expect(errors).toHaveLength(1);
    // The lock was released: the next tick runs.
    const ok = new Scheduler({ db: handle.db, engine: handle.engine, controlRuns: slowRuns(0), log });
    expect(await ok.tick()).toBe('ran');
  });
});
