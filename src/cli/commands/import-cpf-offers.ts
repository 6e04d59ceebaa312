import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CpfImportSummary } from '../../core/contracts/cpf-offers.js';
import { AppError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { importGroup } from './import-partners.js';

/** The readable lines of a catalogue import (without --json). */
export function describeCpfImport(file: string, s: CpfImportSummary): string[] {
  const c = s.changes;
  const f = s.findingChanges;
  const lines = [
    `${file}: ${s.rows} row(s), ${s.offers} offer(s), ${s.matched} naming the certifications (extraction ${s.extractedOn}, ${s.format}, ${s.encoding})`,
    `  offers: ${c.new} new, ${c.changed} changed, ${c.gone} gone, ${c.unchanged} unchanged`,
    `  findings: ${f.opened} opened, ${f.updated} still found, ${f.resolved} resolved`,
  ];
  for (const [rule, n] of Object.entries(s.findings)) if (n > 0) lines.push(`    ${rule}: ${n}`);
  if (s.warnings)
    lines.push(`  ${s.warnings} warning(s): values ignored, offers kept (see the import in the web app)`);
  if (s.unknownColumns.length) lines.push(`  unknown columns: ${s.unknownColumns.join(', ')}`);
  if (s.rejected.length) {
    lines.push(`  ${s.rejected.length} rejected row(s):`);
    for (const r of s.rejected.slice(0, 20))
      lines.push(
        `    line ${r.line}${r.column ? ` (${r.column})` : ''}: ${r.code}: ${r.message}${r.key ? ` [${r.key}]` : ''}`,
      );
    if (s.rejected.length > 20) lines.push(`    … (${s.rejected.length - 20} more: use --json)`);
  }
  return lines;
}

/**
 * `habilis import cpf-offers FILE`: imports the Caisse des Dépôts catalogue of CPF offers (CSV `;` or
 * `,`, UTF-8 or Windows-1252, or JSON), keeps the offers naming the certifier's certifications with what
 * changed since the previous import, and runs the communication control. A file that cannot be read fails
 * with import_rejected and changes nothing; rejected rows are listed, never dropped.
 */
export function registerImportCpfOffers(program: Command, ctx: CommandContext): void {
  importGroup(program)
    .command('cpf-offers')
    .description(
      'import the catalogue of CPF offers (Mon Compte Formation open data) and check the offers naming the certifications',
    )
    .argument(
      '<file>',
      'the catalogue as downloaded (CSV or JSON export of moncompteformation_catalogueformation)',
    )
    .option('--force', 'apply a file that looks like an extract (most watched offers absent from it)')
    .action(async (file: string, options: { force?: boolean }) => {
      try {
        await access(file);
      } catch (error) {
        throw new AppError('not_found', `cannot read ${file}: ${(error as Error).message}`, {
          fields: [{ field: '<file>', message: 'not readable' }],
        });
      }
      const summary = await ctx.withServices(
        ({ services }) =>
          services.cpfOffers.importCatalogue(ctx.actor, file, { force: options.force === true }),
        `importing ${file}`,
      );
      ctx.out.result(summary, () => describeCpfImport(file, summary));
    });
}
