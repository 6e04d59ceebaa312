import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `habilis migrate`: applies pending migrations (opening the services does) and says what it did. */
export function registerMigrate(program: Command, ctx: CommandContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations and print the current version')
    .action(async () => {
      const { applied, current, location } = await ctx.withServices(
        async ({ migration, location }) => ({ ...migration, location }),
        'applying database migrations',
      );
      ctx.out.result({ applied, current }, () => [
        applied.length
          ? `Applied ${applied.length} migration${applied.length > 1 ? 's' : ''}:`
          : 'No pending migration.',
        ...applied.map((name) => `  ${name}`),
        `Database version: ${current ?? '(none)'} (${location})`,
      ]);
    });
}
