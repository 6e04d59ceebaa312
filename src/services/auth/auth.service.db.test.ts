import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { buildUser } from '../../../test/factories.js';
import { system } from '../../../test/server.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../index.js';

const HOUR = 3_600_000;

describe('session lifetime', () => {
  let handle: DatabaseHandle;
  let services: Services;
  let clock = new Date('2026-03-02T08:00:00Z');

  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(
      handle,
      { publicUrl: 'http://habilis.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
      () => clock,
    );
  });
  afterAll(() => handle.close());

  const signIn = async () => {
    const seed = buildUser('auditor');
    await services.users.create(system, seed);
    return (await services.auth.login({ email: seed.email, password: seed.password })).token;
  };

  it('slides while used, ends after 8 idle hours', async () => {
    clock = new Date('2026-03-02T08:00:00Z');
    const token = await signIn();
    clock = new Date(clock.getTime() + 7 * HOUR);
    expect(await services.auth.authenticate(token)).toBeDefined();
    clock = new Date(clock.getTime() + 7 * HOUR); // 14 h after sign-in, 7 h after the last request
    expect(await services.auth.authenticate(token)).toBeDefined();
    clock = new Date(clock.getTime() + 8 * HOUR + 1000);
    expect(await services.auth.authenticate(token)).toBeUndefined();
  });

  it('ends 7 days after sign-in however busy the user is', async () => {
    clock = new Date('2026-03-02T08:00:00Z');
    const token = await signIn();
    const signedInAt = clock.getTime();
    // A request every 6 hours keeps the session alive up to the 7th day…
    while (clock.getTime() + 6 * HOUR < signedInAt + 7 * 24 * HOUR) {
      clock = new Date(clock.getTime() + 6 * HOUR);
      expect(await services.auth.authenticate(token)).toBeDefined();
    }
    // …and not a second past it.
    clock = new Date(signedInAt + 7 * 24 * HOUR + 1000);
    expect(await services.auth.authenticate(token)).toBeUndefined();
  });

  it('answers from memory while nothing changed, and never after a change', async () => {
    clock = new Date('2026-03-02T08:00:00Z');
    const token = await signIn();
    const first = await services.auth.authenticate(token);
    // The cached session is the same object; a write anywhere makes it read again.
    expect(await services.auth.authenticate(token)).toBe(first);
    await services.users.create(system, buildUser('read_only'));
    const again = await services.auth.authenticate(token);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
