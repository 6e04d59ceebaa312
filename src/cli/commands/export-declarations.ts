import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { declarationExportQuery } from '../../core/declarations/declaration.schema.js';
import { validationFailed } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../io.js';

/** The `export` group, shared with other export commands: created by the first to need it. */
export function exportGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('write data to files')
  );
}

/**
 * `habilis export declarations --out FILE [--format csv|xlsx]`: the list of partners to declare to France
 * Compétences (one row per partner × certification), as the API's download gives it.
 */
export function registerExportDeclarations(program: Command, ctx: CommandContext): void {
  exportGroup(program)
    .command('declarations')
    .description('write the list of partners to declare to France Compétences (CSV or XLSX)')
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'csv or xlsx (default: from the file name, else csv)')
    .option('--pending-only', 'only the partners × certifications with a change not declared yet')
    .option('--on <date>', 'the day the deadlines are computed for (YYYY-MM-DD; default today)')
    .action(async (opts: { out: string; format?: string; pendingOnly?: boolean; on?: string }) => {
      const format = opts.format ?? (path.extname(opts.out).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv');
      const parsed = declarationExportQuery.safeParse({
        format,
        pendingOnly: opts.pendingOnly ? 'true' : 'false',
        ...(opts.on === undefined ? {} : { on: opts.on }),
      });
      if (!parsed.success)
        throw validationFailed(
          parsed.error.issues.map((i) => ({
            field: i.path[0] === 'on' ? '--on' : '--format',
            message: i.path[0] === 'format' ? `"${format}" is not csv or xlsx` : i.message,
          })),
        );
      const file = await ctx.withServices(
        ({ services }) => services.declarations.exportPartnerList(ctx.actor, parsed.data),
        'exporting the declarations',
      );
      try {
        await writeFile(opts.out, file.content);
      } catch (error) {
        throw new CliError('unavailable', `could not write ${opts.out}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const summary = {
        file: opts.out,
        format: parsed.data.format,
        rows: file.rows,
        bytes: file.content.length,
      };
      ctx.out.result(summary, () => [
        `${file.rows} partner × certification row${file.rows === 1 ? '' : 's'} written to ${opts.out} (${parsed.data.format})`,
      ]);
    });
}
