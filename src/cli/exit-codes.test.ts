import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../core/errors.js';
import { cliExitCodes, exitCodeOf } from './exit-codes.js';

describe('exit codes', () => {
  it('gives every AppError code its own non-zero status, apart from the CLI outcomes', () => {
    const statuses = [...errorCodes.map((code) => exitCodeOf[code]), ...Object.values(cliExitCodes)];
    expect(new Set(statuses).size).toBe(statuses.length);
    for (const code of errorCodes) {
      const status = exitCodeOf[code];
      expect(Number.isInteger(status), code).toBe(true);
      // 1 and 2 are what a crash or a shell builtin misuse gives; above 125 the shell reserves.
      expect(status, code).toBeGreaterThan(2);
      expect(status, code).toBeLessThanOrEqual(125);
    }
    expect(Object.keys(exitCodeOf).sort()).toEqual([...errorCodes].sort());
  });

  it('keeps the sysexits meanings the brief of the CLI promises', () => {
    expect(exitCodeOf.validation_failed).toBe(65);
    expect(exitCodeOf.not_found).toBe(66);
    expect(exitCodeOf.conflict).toBe(67);
    expect(exitCodeOf.internal).toBe(70);
    expect(exitCodeOf.forbidden).toBe(77);
    expect(cliExitCodes.usage).toBe(64);
    expect(cliExitCodes.configuration).toBe(78);
  });

  it('is the table docs/cli.md documents, row for row', () => {
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const documented = new Map<string, number>();
    for (const match of doc.matchAll(/^\|\s*(\d+)\s*\|\s*`([a-z_]+)`/gm)) {
      documented.set(match[2]!, Number(match[1]));
    }
    const expected = new Map<string, number>([
      ...Object.entries(cliExitCodes),
      ...Object.entries(exitCodeOf),
    ]);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(expected));
  });
});
