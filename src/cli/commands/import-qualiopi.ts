import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import type { QualiopiImportSummary } from '../../core/contracts/qualiopi.js';
import { AppError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { importGroup } from './import-partners.js';

/** The readable lines of a Qualiopi refresh (without --json). */
export function describeQualiopiImport(file: string, s: QualiopiImportSummary): string[] {
  const f = s.findings;
  const lines = [
    `${file}: ${s.rows} row(s), ${s.matched} organisation(s) matched, ${s.updated} updated (${s.gained} gained Qualiopi, ${s.lost} lost it)`,
    `  findings qualiopi.lost: ${f.opened} opened, ${f.updated} updated, ${f.resolved} resolved`,
  ];
  if (s.rejected.length) {
    lines.push(`  ${s.rejected.length} rejected row(s):`);
    for (const r of s.rejected.slice(0, 20)) lines.push(`    line ${r.line}: ${r.code}: ${r.message}`);
    if (s.rejected.length > 20) lines.push(`    … (${s.rejected.length - 20} more: use --json)`);
  }
  return lines;
}

/**
 * `habilis import qualiopi FILE`: refreshes the organisations' Qualiopi status from the « liste publique
 * des organismes de formation » (CSV or JSON as published). A file that cannot be read fails with
 * import_rejected and leaves the database as it was; rejected rows are listed, not dropped.
 */
export function registerImportQualiopi(program: Command, ctx: CommandContext): void {
  importGroup(program)
    .command('qualiopi')
    .description(
      'refresh the Qualiopi status of the organisations from the « liste publique des organismes de formation »',
    )
    .argument('<file>', 'the list as downloaded (CSV, or the Opendatasoft JSON export)')
    .option(
      '--force',
      'apply a list that looks partial (more than 20 % of the organisations certified today absent from it)',
    )
    .action(async (file: string, options: { force?: boolean }) => {
      try {
        await access(file);
      } catch (error) {
        throw new AppError('not_found', `cannot read ${file}: ${(error as Error).message}`, {
          fields: [{ field: '<file>', message: 'not readable' }],
        });
      }
      const summary = await ctx.withServices(
        ({ services }) => services.qualiopi.importList(ctx.actor, file, { force: options.force === true }),
        `importing ${file}`,
      );
      ctx.out.result(summary, () => describeQualiopiImport(file, summary));
    });
}
