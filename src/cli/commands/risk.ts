import type { Command } from 'commander';
import type { RiskPage } from '../../core/contracts/risk.js';
import { notFound } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { withOptionNames } from '../io.js';

const levelLabel = { low: 'low', medium: 'medium', high: 'HIGH' } as const;

/** Text lines of a page of risk scores; with one partner, every factor explained. */
function riskLines(page: RiskPage, explain: boolean): string[] {
  const lines = [
    `Risk scores on ${page.asOf}: ${page.total} partner(s) — ${page.byLevel.high} high, ${page.byLevel.medium} medium, ${page.byLevel.low} low`,
  ];
  for (const s of page.items) {
    lines.push(
      `${s.score.toFixed(1).padStart(5)}  ${levelLabel[s.level].padEnd(6)}  ${s.siret}  ${s.legalName}`,
    );
    if (!explain) continue;
    for (const f of s.factors)
      lines.push(
        `         ${f.id.padEnd(10)} ${String(f.value ?? '—').padStart(10)}  ${f.contribution.toFixed(1).padStart(4)} / ${String(f.weight).padStart(2)}  ${f.why}`,
      );
  }
  if (page.items.length < page.total)
    lines.push(`(${page.items.length} shown of ${page.total}: use --limit and --offset)`);
  return lines;
}

/** `habilis risk [--organisation SIRET] [--level L] [--limit N] [--offset N]`: partners by risk. */
export function registerRisk(program: Command, ctx: CommandContext): void {
  program
    .command('risk')
    .description('risk score of each partner, highest first, explained factor by factor')
    .option('--organisation <siret>', 'only this partner, with every factor explained')
    .option('--level <level>', 'only partners of this level: low, medium, high')
    .option('--limit <n>', 'at most this many partners', '50')
    .option('--offset <n>', 'skip this many partners first', '0')
    .option('--explain', 'explain every factor of every partner listed')
    .action(
      async (opts: {
        organisation?: string;
        level?: string;
        limit: string;
        offset: string;
        explain?: boolean;
      }) => {
        const query = {
          ...(opts.organisation === undefined ? {} : { siret: opts.organisation }),
          ...(opts.level === undefined ? {} : { level: opts.level }),
          limit: opts.limit,
          offset: opts.offset,
        };
        const page = await ctx
          .withServices(({ services }) => services.risk.list(ctx.actor, query), 'computing risk scores')
          .catch((error: unknown) => {
            throw withOptionNames(error, {
              siret: '--organisation',
              level: '--level',
              limit: '--limit',
              offset: '--offset',
            });
          });
        if (opts.organisation !== undefined && page.total === 0)
          throw notFound('partner with SIRET', opts.organisation);
        ctx.out.result(page, () => riskLines(page, opts.explain === true || opts.organisation !== undefined));
      },
    );
}
