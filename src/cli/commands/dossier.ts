import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../io.js';

/**
 * `habilis dossier --certification CODE [--from DATE] [--to DATE] [--partner SIRET] --out DIR`: the evidence
 * dossier (PDF report + ZIP of the evidence with its manifest and audit-log extract).
 * `habilis dossier verify ZIP`: checks a dossier against its manifest and its audit-log chain.
 */
export function registerDossier(program: Command, ctx: CommandContext): void {
  const dossier = program
    .command('dossier')
    .description('write the evidence dossier of a certification (PDF report and ZIP of the evidence)')
    .option('--certification <code>', 'the certification, e.g. RNCP12345 or RS1234')
    .option('--from <date>', 'start of the period (YYYY-MM-DD)')
    .option('--to <date>', 'end of the period (YYYY-MM-DD)')
    .option('--partner <siret>', 'only this partner (its SIRET)')
    .option('--out <dir>', 'the directory to write the PDF and the ZIP into')
    .action(
      async (opts: {
        certification?: string;
        from?: string;
        to?: string;
        partner?: string;
        out?: string;
      }) => {
        const missing = [
          ...(opts.certification ? [] : ['--certification <code>']),
          ...(opts.out ? [] : ['--out <dir>']),
        ];
        if (missing.length)
          throw new AppError('validation_failed', `missing ${missing.join(' and ')}`, {
            fields: missing.map((field) => ({ field, message: 'required' })),
          });
        const query = {
          certification: opts.certification,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          ...(opts.partner ? { partner: opts.partner } : {}),
        };
        const files = await ctx.withServices(
          ({ services }) => services.dossiers.writeToDirectory(ctx.actor, query, opts.out!),
          'writing the evidence dossier',
        );
        const { summary } = files;
        ctx.out.result({ pdf: files.pdfPath, zip: files.zipPath, ...summary }, () => [
          `evidence dossier of ${summary.certification}${summary.partner ? ` for partner ${summary.partner}` : ''}:`,
          `  report  ${files.pdfPath}`,
          `  zip     ${files.zipPath} (${summary.files} files, ${summary.evidenceFiles} evidence, ${summary.auditEntries} audit entries)`,
          `  manifest SHA-256 ${summary.manifestSha256}`,
          `  audit chain head ${summary.headHash ?? '(empty log)'}`,
        ]);
      },
    );

  dossier
    .command('verify')
    .description('check an evidence dossier ZIP: every file against the manifest, the audit-log chain')
    .argument('<zip>', 'the dossier ZIP')
    .action(async (zip: string) => {
      // Reads the file only: no database needed.
      const { verifyDossierZip } = await import('../../services/dossier/dossier-verify.js');
      const result = await verifyDossierZip(zip);
      if (result.ok) {
        ctx.out.result(result, () => [
          `dossier OK: ${result.files} files match the manifest, ${result.auditEntries} audit entries chain to ${result.headHash ?? '(no entry)'}`,
          `manifest SHA-256 ${result.manifestSha256} (recorded in the audit log as dossier.generate)`,
        ]);
        return;
      }
      if (ctx.out.json) ctx.out.result(result, () => []);
      const first = result.problems[0]!;
      throw new AppError(
        'dossier_tampered',
        `dossier altered: ${first.path}: ${first.message}${
          result.problems.length > 1
            ? ` (and ${result.problems.length - 1} more problem${result.problems.length > 2 ? 's' : ''}: ${result.problems
                .slice(1, 6)
                .map((p) => p.path)
                .join(', ')})`
            : ''
        }`,
        { details: { problems: result.problems } },
      );
    });

  program
    .command('reports')
    .description('settings of the reports')
    .command('logo')
    .description('set the logo printed on the reports and the evidence dossier (PNG or JPEG), or remove it')
    .argument('[file]', 'the PNG or JPEG image')
    .option('--clear', 'remove the logo')
    .action(async (file: string | undefined, opts: { clear?: boolean }) => {
      if (!file && !opts.clear)
        throw new AppError('validation_failed', 'give the logo file, or --clear to remove it', {
          fields: [{ field: 'file', message: 'required without --clear' }],
        });
      let bytes: Buffer | null = null;
      if (file && !opts.clear) {
        try {
          bytes = await readFile(file);
        } catch (error) {
          throw new CliError('unavailable', `could not read ${file}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      const result = await ctx.withServices(({ services }) => services.reports.setLogo(ctx.actor, bytes));
      ctx.out.result(result, () => [result.sha256 ? `logo set (SHA-256 ${result.sha256})` : 'logo removed']);
    });
}
