import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { ImportSummary } from '../../core/registry/registry.schema.js';
import type { CommandContext } from '../context.js';
import { withOptionNames } from '../io.js';
import { importGroup } from './import-partners.js';

/** The readable lines of an import summary (without --json). */
export function describeImport(file: string, s: ImportSummary): string[] {
  const c = s.changes;
  const lines = [
    `${file}: ${s.certifications} fiche(s) (${s.activeCertifications} active), ${s.skillBlocks} skill block(s), ${s.declaredPartners} declared partner(s) (${s.activeDeclaredPartners} active), ${s.certifiers} certifier(s)`,
    `  changes: ${c.newFiches} new, ${c.changedFiches} changed, ${c.unchangedFiches} unchanged; ${c.becameInactive} became inactive, ${c.becameActive} active again; partners ${c.partnersAdded} added, ${c.partnersRemoved} removed, ${c.partnersChanged} changed`,
  ];
  if (s.workingCopy.certifications)
    lines.push(
      `  working copy: ${s.workingCopy.certifications} certification(s), ${s.workingCopy.skillBlocks} skill block(s) refreshed`,
    );
  const r = s.reconciliation;
  if (r.ownedCertifications)
    lines.push(
      `  reconciliation of ${r.ownedCertifications} owned certification(s): ${r.findingsOpened} finding(s) opened, ${r.findingsUpdated} updated, ${r.findingsClosed} closed, ${r.openFindings} open`,
    );
  if (s.unknownElements) lines.push(`  ${s.unknownElements} unknown element(s) ignored`);
  if (s.rejectedCount) {
    lines.push(`  ${s.rejectedCount} reject(s):`);
    for (const reject of s.rejected.slice(0, 20))
      lines.push(`    line ${reject.line}: ${reject.code}: ${reject.message}`);
    if (s.rejectedCount > 20) lines.push(`    … (${s.rejectedCount - 20} more: use --json)`);
  }
  return lines;
}

/**
 * `habilis import france-competences FILE [--certifier SIRET]`: imports a France Compétences export (the
 * XML flow, a zip holding it, or the CSV bundle zip) into the registry. A file that cannot be read fails
 * with import_rejected (naming the line and column) and leaves the database as it was.
 */
export function registerImportFranceCompetences(program: Command, ctx: CommandContext): void {
  importGroup(program)
    .command('france-competences')
    .description(
      'import a France Compétences RNCP/RS export (XML flow, its zip, or the CSV bundle zip) into the registry',
    )
    .argument(
      '<file>',
      'export_fiches_RNCP_V4_1_*.xml, export_fiches_RS_V4_1_*.xml, their zip, or export-fiches-csv-*.zip',
    )
    .option(
      '--certifier <siret>',
      'your SIRET: the fiches you certify become owned certifications, reconciled with Habilis',
    )
    .action(async (file: string, opts: { certifier?: string }) => {
      try {
        await access(file);
      } catch (error) {
        throw new AppError('not_found', `cannot read ${file}: ${(error as Error).message}`, {
          fields: [{ field: '<file>', message: 'not readable' }],
        });
      }
      const summary = await ctx
        .withServices(
          ({ services }) =>
            services.registry.importFranceCompetences(ctx.actor, file, { certifierSiret: opts.certifier }),
          `importing ${file}`,
        )
        .catch((error: unknown) => {
          throw withOptionNames(error, { certifierSiret: '--certifier' });
        });
      ctx.out.result(summary, () => describeImport(file, summary));
    });
}
