import { describe, expect, it } from 'vitest';
import type { Config } from '../config/env.js';
import type { Actor } from '../core/access/policy.js';
import type { Services } from '../services/index.js';
import type { OpenedServices } from '../services/runtime.js';
import { cliExitCodes, exitCodeOf } from './exit-codes.js';
import { Output } from './io.js';
import { type CliOptions, runCli } from './main.js';

// Small tests of the command line itself: parsing, messages, exit codes, JSON. Services are stand-ins
// here (the database is the medium test's business, cli.db.test.ts); an `openServices` that throws proves
// a command failed on its arguments before touching any data.

const env = { HABILIS_DATA_DIR: '/nonexistent/habilis-cli-test', SESSION_SECRET: 's'.repeat(32) };

const neverOpened = async (): Promise<OpenedServices> => {
  throw new Error('the database must not be opened for this command line');
};

function fakeOpened(services: Partial<Record<keyof Services, unknown>>): CliOptions['openServices'] {
  return async () => ({
    services: services as unknown as Services,
    migration: { applied: [], current: 'm1' },
    location: 'fake',
    close: async () => {},
  });
}

async function run(argv: string[], options: CliOptions = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    openServices: neverOpened,
    stdin: (async function* () {})(),
    ...options,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe('habilis command line', () => {
  it('lists every command in --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['migrate', 'user create', 'audit verify', 'demo', 'serve']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(stdout).toContain('--json');
  });

  it('answers a missing command with the help on stderr and the usage status', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(cliExitCodes.usage);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: habilis');
  });

  it('reports an unknown option in one line, as one JSON document with --json', async () => {
    const text = await run(['migrate', '--bogus']);
    expect(text.code).toBe(cliExitCodes.usage);
    expect(text.stderr).toBe("habilis: unknown option '--bogus'\n");

    const json = await run(['--json', 'migrate', '--bogus']);
    expect(json.code).toBe(cliExitCodes.usage);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'usage', message: "unknown option '--bogus'" },
    });
  });

  it('names a missing required option', async () => {
    const { code, stderr } = await run(['user', 'create', '--role', 'admin']);
    expect(code).toBe(cliExitCodes.usage);
    expect(stderr).toContain('--email');
  });

  it('refuses an unknown role naming --role, before opening the database', async () => {
    const { code, stdout, stderr } = await run([
      'user',
      'create',
      '--email',
      'a@example.org',
      '--role',
      'boss',
    ]);
    expect(code).toBe(exitCodeOf.validation_failed);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('habilis: invalid input');
    expect(stderr).toMatch(/^ {2}--role: "boss" is not a role: use one of admin, quality_manager/m);
    expect(stderr).not.toContain('at ');
  });

  it('refuses an invalid SIRET naming --organisation, with the fields in the JSON error', async () => {
    const { code, stdout } = await run([
      'user',
      'create',
      '--json',
      '--email',
      'p@example.org',
      '--role',
      'partner',
      '--organisation',
      '12345678901234',
    ]);
    expect(code).toBe(exitCodeOf.validation_failed);
    const body = JSON.parse(stdout) as { error: { code: string; fields: { field: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields.map((f) => f.field)).toEqual(['--organisation']);
  });

  it('reads the password from standard input without its trailing line break', async () => {
    const received: unknown[] = [];
    const { code, stdout } = await run(
      ['user', 'create', '--email', 'qm@example.org', '--role', 'quality_manager', '--password-stdin'],
      {
        stdin: (async function* () {
          yield Buffer.from('Secret-Pass');
          yield '-123\n';
        })(),
        openServices: fakeOpened({
          users: {
            create: async (actor: Actor, input: unknown) => {
              received.push(actor, input);
              return {
                user: { id: 'u1', email: 'qm@example.org', role: 'quality_manager' },
                setupLink: null,
              };
            },
          },
        }),
      },
    );
    expect(code).toBe(0);
    expect(received).toEqual([
      { kind: 'system', label: 'cli' },
      { email: 'qm@example.org', displayName: 'qm', role: 'quality_manager', password: 'Secret-Pass-123' },
    ]);
    expect(stdout).toContain('can sign in with the password given');
  });

  it('refuses an empty standard input for --password-stdin', async () => {
    const { code, stderr } = await run([
      'user',
      'create',
      '--email',
      'qm@example.org',
      '--role',
      'auditor',
      '--password-stdin',
    ]);
    expect(code).toBe(exitCodeOf.validation_failed);
    expect(stderr).toContain('--password-stdin: standard input is empty');
  });

  it('passes --seed to the demo loader as the system actor and prints its summary as JSON', async () => {
    const calls: unknown[] = [];
    const summary = { seed: 7, partners: 40, users: [], password: 'p' };
    const { code, stdout } = await run(['--json', 'demo', '--seed', '7'], {
      openServices: fakeOpened({
        demo: {
          load: async (actor: Actor, options: unknown) => {
            calls.push(actor, options);
            return summary;
          },
        },
      }),
    });
    expect(code).toBe(0);
    expect(calls).toEqual([{ kind: 'system', label: 'cli' }, { seed: 7 }]);
    expect(JSON.parse(stdout)).toEqual(summary);
  });

  it('refuses a --seed that is not a whole number, naming it', async () => {
    const { code, stderr } = await run(['demo', '--seed', '1.5']);
    expect(code).toBe(exitCodeOf.validation_failed);
    expect(stderr).toContain('--seed: "1.5" is not a whole number');
  });

  it('says so when the build has no demo loader', async () => {
    const { code, stderr } = await run(['demo'], { openServices: fakeOpened({}) });
    expect(code).toBe(cliExitCodes.unavailable);
    expect(stderr).toBe('habilis: the demo loader is not available in this build\n');
  });

  it('exits 78 on invalid configuration, one problem per line', async () => {
    const { code, stderr } = await run(['migrate'], {
      env: { ...env, PORT: 'abc', DATABASE_URL: 'mysql://db' },
    });
    expect(code).toBe(cliExitCodes.configuration);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('habilis: invalid configuration (environment variables)');
    expect(lines.slice(1).sort()).toEqual([
      '  DATABASE_URL: must be a postgres:// or postgresql:// URL',
      expect.stringMatching(/^ {2}PORT: /),
    ]);
  });

  it('reports a database that cannot be opened as unavailable, in one line', async () => {
    const { code, stderr } = await run(['migrate'], {
      env: { ...env, DATABASE_URL: 'postgres://habilis:secret@db.invalid:5432/habilis' },
      openServices: async () => {
        throw new Error('getaddrinfo ENOTFOUND db.invalid');
      },
    });
    expect(code).toBe(cliExitCodes.unavailable);
    expect(stderr).toBe(
      'habilis: could not open the database (PostgreSQL db.invalid:5432/habilis): getaddrinfo ENOTFOUND db.invalid\n',
    );
  });

  it('shows no stack trace for an unexpected error unless --debug', async () => {
    const failing = fakeOpened({
      audit: {
        verify: async () => {
          throw new Error('disk on fire');
        },
      },
    });
    const plain = await run(['audit', 'verify'], { openServices: failing });
    expect(plain.code).toBe(exitCodeOf.internal);
    expect(plain.stderr).toBe(
      'habilis: internal error: disk on fire\n  (run again with --debug to see the stack trace)\n',
    );

    const debug = await run(['--debug', 'audit', 'verify'], { openServices: failing });
    expect(debug.code).toBe(exitCodeOf.internal);
    expect(debug.stderr).toMatch(/Error: disk on fire\n\s+at /);
  });

  it('closes the database even when the command fails', async () => {
    let closed = 0;
    const { code } = await run(['audit', 'verify'], {
      openServices: async () => ({
        services: {
          audit: {
            verify: async () => {
              throw new Error('boom');
            },
          },
        } as unknown as Services,
        migration: { applied: [], current: null },
        location: 'fake',
        close: async () => {
          closed++;
        },
      }),
    });
    expect(code).toBe(exitCodeOf.internal);
    expect(closed).toBe(1);
  });

  it('reads the configuration from the given environment', async () => {
    let seen: Config | undefined;
    await run(['migrate'], {
      env: { ...env, HABILIS_DATA_DIR: '/srv/habilis-data' },
      openServices: async (config) => {
        seen = config;
        throw new Error('stop here');
      },
    });
    expect(seen?.pgliteDir).toBe('/srv/habilis-data/pglite');
  });
});

describe(Output.name, () => {
  const streams = (isTTY: boolean) => {
    const written = { stdout: '', stderr: '' };
    return {
      written,
      streams: {
        stdout: { write: (s: string) => (written.stdout += s) },
        stderr: { isTTY, write: (s: string) => (written.stderr += s) },
        stdin: (async function* () {})(),
      },
    };
  };

  it('shows progress on a terminal, and clears it', async () => {
    const { written, streams: s } = streams(true);
    expect(await new Output(s, false, false).progress('loading', async () => 42)).toBe(42);
    expect(written.stderr).toContain('loading');
    expect(written.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(written.stdout).toBe('');
  });

  it('shows no progress with --json or when stderr is not a terminal', async () => {
    for (const [isTTY, json] of [
      [true, true],
      [false, false],
    ] as const) {
      const { written, streams: s } = streams(isTTY);
      await new Output(s, json, false).progress('loading', async () => 1);
      expect(written.stderr).toBe('');
    }
  });

  it('adds no error document after a JSON result, so stdout holds exactly one', async () => {
    const { written, streams: s } = streams(false);
    const out = new Output(s, true, false);
    out.result({ ok: false }, () => []);
    out.fail(new Error('after the result'));
    expect(JSON.parse(written.stdout)).toEqual({ ok: false });
  });
});
