import type { Command } from 'commander';
import { validationFailed } from '../../core/errors.js';
import type { Services } from '../../services/index.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../io.js';

/** `--seed` as a non-negative 32-bit integer, or a validation error naming the option. */
export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2 ** 31 - 1) {
    throw validationFailed([
      { field: '--seed', message: `"${value}" is not a whole number from 0 to 2147483647` },
    ]);
  }
  return Number(value);
}

/** `habilis demo`: loads the seeded demo network into an empty database. */
export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('load a realistic demo network (certifications, partners, sessions…) into an empty database')
    .option('--seed <n>', 'the seed: the same seed gives the same network (default 1)')
    .action(async (opts: { seed?: string }) => {
      const seed = parseSeed(opts.seed);
      const summary = await ctx.withServices(async ({ services }) => {
        // The loader is optional in a build: the command stays listed and says so when it is missing.
        const demo = (services as Partial<Services>).demo;
        if (!demo) throw new CliError('unavailable', 'the demo loader is not available in this build');
        return demo.load(ctx.actor, seed === undefined ? {} : { seed });
      }, 'loading the demo network');
      ctx.out.result(summary, () => [
        `Demo network loaded (seed ${summary.seed}):`,
        `  ${summary.certifications} certifications (${summary.skillBlocks} skill blocks), ${summary.partners} partners, ${summary.habilitations} habilitations, ${summary.conventions} conventions`,
        `  ${summary.trainingSessions} training sessions, ${summary.candidates} candidates, ${summary.assessmentSessions} assessment sessions, ${summary.assessmentResults} results`,
        `  ${summary.juries} juries, ${summary.deliberations} deliberations, ${summary.certificates} certificates, ${summary.findings} findings, ${summary.sanctions} sanctions`,
        `Demo accounts (password for all: ${summary.password}):`,
        ...summary.users.map((u) => `  ${u.email} (${u.role})`),
      ]);
    });
}
