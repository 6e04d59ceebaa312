import type { Command } from 'commander';
import type { ReminderRunSummary } from '../../core/findings/finding.schema.js';
import type { CommandContext } from '../context.js';

function reminderLines(summary: ReminderRunSummary): string[] {
  const lines = [
    `Late findings on ${summary.asOf}: ${summary.reminded} reminder(s), ${summary.escalated} escalation(s)`,
  ];
  for (const item of summary.items)
    lines.push(
      `  ${item.kind.padEnd(10)} ${String(item.daysLate).padStart(3)} days late  finding ${item.findingId}`,
    );
  return lines;
}

/** `habilis findings remind`: reminds partners of late findings and escalates those too late. */
export function registerFindings(program: Command, ctx: CommandContext): void {
  const findings = program
    .command('findings')
    .description('the finding loop: findings and corrective actions');
  findings
    .command('remind')
    .description(
      'remind partners of late findings (weekly) and escalate those 15 days late; the nightly job does it too',
    )
    .action(async () => {
      const summary = await ctx.withServices(
        ({ services }) => services.findings.runReminders(ctx.actor),
        'reminding late findings',
      );
      ctx.out.result(summary, () => reminderLines(summary));
    });
}
