import path from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { exportGroup } from './export-declarations.js';
import { importGroup } from './import-partners.js';

/**
 * `habilis export accrochage --out FILE.xml [--client-id ID] [--contract-id ID] [--certification CODE]
 * [--since DATE]`: the accrochage flux of the certificates not yet accepted by the CDC, checked against the
 * XSD; the certificates written are marked sent. The holders left out are listed with every reason. The CDC
 * identifiers come from the certifier settings; the flags override them.
 */
export function registerExportAccrochage(program: Command, ctx: CommandContext): void {
  exportGroup(program)
    .command('accrochage')
    .description(
      'write the accrochage XML flux for the CDC (certificates not yet accepted) and mark them sent',
    )
    .requiredOption('--out <file>', 'the XML file to write')
    .option('--client-id <id>', "the certifier's idClient at the CDC (default: the certifier settings)")
    .option('--contract-id <id>', "the certifier's idContrat at the CDC (default: the certifier settings)")
    .option(
      '--depositor-client-id <id>',
      "a trusted third party's idClient, when it deposits the file (default: the certifier settings)",
    )
    .option('--certification <code>', 'only this certification (e.g. RNCP37674)')
    .option('--since <date>', 'only certificates issued on or after this day (YYYY-MM-DD)')
    .action(
      async (opts: {
        out: string;
        clientId?: string;
        contractId?: string;
        depositorClientId?: string;
        certification?: string;
        since?: string;
      }) => {
        const outcome = await ctx.withServices(
          ({ services }) =>
            services.accrochage.export(ctx.actor, {
              outPath: path.resolve(opts.out),
              clientId: opts.clientId,
              contractId: opts.contractId,
              depositorClientId: opts.depositorClientId,
              certificationCode: opts.certification,
              since: opts.since,
            }),
          'exporting the accrochage flux',
        );
        ctx.out.result(outcome, () => [
          outcome.file
            ? `${outcome.holders} holder(s) written to ${outcome.file} (valid against the XSD) and marked sent`
            : 'No file written: no certificate to send could be written',
          ...(outcome.full ? ['The file is full (CDC limits): export again for the rest.'] : []),
          ...(outcome.leftOut.length
            ? [`${outcome.leftOut.length} holder(s) left out:`, ...outcome.leftOut.flatMap((l) => l.messages)]
            : []),
        ]);
      },
    );
}

/**
 * `habilis import accrochage-report FILE`: reads the CDC's processing report (accusé de traitement) and sets
 * each certificate accepted, or rejected with the CDC's message. Passages naming no known certificate are listed.
 */
export function registerImportAccrochageReport(program: Command, ctx: CommandContext): void {
  importGroup(program)
    .command('accrochage-report')
    .description("read the CDC's accrochage processing report and set each certificate accepted or rejected")
    .argument('<file>', 'the processing report (XML)')
    .action(async (file: string) => {
      const outcome = await ctx.withServices(
        ({ services }) => services.accrochage.importReport(ctx.actor, file),
        'reading the accrochage report',
      );
      ctx.out.result(outcome, () => [
        `${file}: ${outcome.accepted} accepted, ${outcome.rejected} rejected`,
        ...outcome.updated
          .filter((u) => u.status === 'rejected')
          .map((u) => `  ${u.number}: rejected: ${u.message ?? '(no message)'}`),
        ...(outcome.unknown.length
          ? [
              `${outcome.unknown.length} passage(s) name no certificate of this instance:`,
              ...outcome.unknown.map((u) => `  ${u.idTechnique} (${u.status})`),
            ]
          : []),
        ...outcome.warnings.map((w) => `warning, line ${w.line}: ${w.message}`),
      ]);
    });
}
