import type { Command } from 'commander';
import type { ControlPlanSummary, ControlPlanView } from '../../core/contracts/control-plans.js';
import type { CommandContext } from '../context.js';
import { withOptionNames } from '../io.js';

/** Text lines of a plan: its counts, then its first entries. */
function planLines(view: ControlPlanView): string[] {
  const p: ControlPlanSummary = view.plan;
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '—';
  const lines = [
    `Plan de contrôle ${p.year} (${p.status}${p.committedAt ? ` on ${p.committedAt.slice(0, 10)}` : ''}), proposed on ${p.proposedOn}: ${p.entries} audit(s) for ${p.partners} partner(s), ${p.removed} removed`,
    `  by kind: ${counts(p.byKind)}`,
    `  by risk: ${counts(p.byLevel)}`,
    ...(p.status === 'committed' ? [`  done: ${p.done} of ${p.entries}`] : []),
  ];
  for (const e of view.entries.items)
    lines.push(
      `  ${e.plannedOn}  ${e.kind.padEnd(12)} ${e.depth.padEnd(10)} ${(e.riskScore ?? 0).toFixed(1).padStart(5)} ${(e.riskLevel ?? '').padEnd(6)} ${e.siret}  ${e.legalName}`,
    );
  if (view.entries.items.length < view.entries.total)
    lines.push(
      `  (${view.entries.items.length} of ${view.entries.total} entries shown: --json or the web app for all)`,
    );
  return lines;
}

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
    .command('plan')
    .description(
      'propose the audits of a year from the risk scores (a draft plan), show it, or commit it (--commit)',
    )
    .requiredOption('--year <year>', 'the year planned')
    .option('--replace', 'propose again, replacing the draft and its adjustments')
    .option('--commit', 'commit the draft: each kept entry becomes a planned control')
    .option('--limit <n>', 'entries listed', '50')
    .action(async (opts: { year: string; replace?: boolean; commit?: boolean; limit: string }) => {
      const view = await ctx
        .withServices(async ({ services }) => {
          const plans = services.controlPlans;
          const year = Number(opts.year);
          let plan = Number.isInteger(year) ? await plans.ofYear(ctx.actor, year) : undefined;
          if (!plan || opts.replace)
            plan = await plans.propose(ctx.actor, { year: opts.year, replace: opts.replace === true });
          if (opts.commit) plan = await plans.commit(ctx.actor, plan.id);
          return plans.get(ctx.actor, plan.id, { limit: opts.limit });
        }, 'planning the controls')
        .catch((error: unknown) => {
          throw withOptionNames(error, { year: '--year', limit: '--limit', replace: '--replace' });
        });
      ctx.out.result(view, () => planLines(view));
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
