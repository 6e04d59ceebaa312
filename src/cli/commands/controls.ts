import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { withOptionNames } from '../io.js';

/** `habilis controls run [--rule ID]` and `habilis controls list`: the automated controls. */
export function registerControls(program: Command, ctx: CommandContext): void {
  const controls = program.command('controls').description('automated controls of the partner network');
  controls
    .command('run')
    .description('run every automated control (or one): opens, refreshes and closes findings')
    .option('--rule <id>', 'run only this rule (see `habilis controls list`)')
    .action(async (opts: { rule?: string }) => {
      const summary = await ctx
        .withServices(
          ({ services }) =>
            services.controlRuns.run(ctx.actor, opts.rule === undefined ? {} : { ruleId: opts.rule }),
          'running the controls',
        )
        .catch((error: unknown) => {
          throw withOptionNames(error, { ruleId: '--rule' });
        });
      const result = {
        rules: summary.rules.map((r) => ({
          id: r.id,
          source: r.source,
          severity: r.severity,
          subjects: r.subjects,
          findings: r.findings,
        })),
        findings: summary.findings,
      };
      ctx.out.result(result, () => [
        `Controls run on ${summary.asOf}: ${summary.rules.length} rule(s)`,
        ...summary.rules.map(
          (r) =>
            `  ${r.id.padEnd(30)} ${r.severity.padEnd(8)} ${String(r.subjects).padStart(6)} subject(s)  +${r.findings.opened} opened, ${r.findings.updated} updated, ${r.findings.resolved} resolved`,
        ),
        `Findings: ${summary.findings.opened} opened, ${summary.findings.updated} updated, ${summary.findings.resolved} resolved`,
      ]);
    });
  controls
    .command('list')
    .description('list the automated controls: id, severity, live findings, title')
    .action(async () => {
      const catalogue = await ctx.withServices(({ services }) => services.controlRuns.catalogue(ctx.actor));
      ctx.out.result(catalogue, () =>
        catalogue.items.map(
          (r) =>
            `${r.id.padEnd(30)} ${r.severity.padEnd(8)} ${String(r.openFindings).padStart(5)} open  ${r.title.fr}`,
        ),
      );
    });
}
