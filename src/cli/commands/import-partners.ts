import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { MAX_PARTNER_LIST_BYTES } from '../../services/onboarding.service.js';
import type { CommandContext } from '../context.js';

/** The `import` group, shared with other import commands: created by the first to need it. */
export function importGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('read data from files')
  );
}

/**
 * `habilis import partners FILE [--dry-run]`: onboards a partner list (XLSX or CSV, the template of
 * docs/partner-import.md). With --dry-run every row is checked and nothing is written; the errors, by
 * line and column, make the command fail (import_rejected) so a script can tell.
 */
export function registerImportPartners(program: Command, ctx: CommandContext): void {
  importGroup(program)
    .command('partners')
    .description(
      'import a partner list (XLSX or CSV template); --dry-run checks every row and writes nothing',
    )
    .argument('<file>', 'the partner list (.xlsx or .csv)')
    .option('--dry-run', 'check every row and report, without writing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      let content: Buffer;
      try {
        if ((await stat(file)).size > MAX_PARTNER_LIST_BYTES)
          throw new AppError(
            'payload_too_large',
            `${file} is larger than ${MAX_PARTNER_LIST_BYTES / 1024 / 1024} MiB`,
          );
        content = await readFile(file);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('not_found', `cannot read ${file}: ${(error as Error).message}`, {
          fields: [{ field: '<file>', message: 'not readable' }],
        });
      }
      const dryRun = opts.dryRun === true;
      const result = await ctx.withServices(
        ({ services }) =>
          services.onboarding.importPartners(
            ctx.actor,
            { fileName: path.basename(file), content },
            { dryRun },
          ),
        dryRun ? 'checking the partner list' : 'importing the partner list',
      );
      const counts = `${result.organisations.created} organisation(s) to create, ${result.organisations.existing} already registered, ${result.habilitations.created} habilitation application(s)`;
      if (result.valid) {
        ctx.out.result(result, () => [
          dryRun
            ? `${file}: ${result.rows} row(s), no error. The import would write: ${counts}.`
            : `${file}: imported ${result.rows} row(s): ${counts.replace('to create', 'created')}.`,
        ]);
        return;
      }
      // A dry run with errors: the report is the result, and the command fails with the errors listed.
      if (ctx.out.json) ctx.out.result(result, () => []);
      throw new AppError(
        'import_rejected',
        `${file}: ${result.errors.length} error(s) in ${result.rows} row(s); nothing would be imported`,
        {
          details: { errors: result.errors },
          fields: result.errors.map((e) => ({ field: `line ${e.line}, ${e.column}`, message: e.message })),
        },
      );
    });
}
