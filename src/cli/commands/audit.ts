import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';

/** `habilis audit verify`: recomputes the hash chain of the audit log and names the first broken entry. */
export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program.command('audit').description('check the audit log');
  audit
    .command('verify')
    .description('recompute the hash chain of the audit log; exits non-zero at the first broken entry')
    .action(async () => {
      const verification = await ctx.withServices(
        ({ services }) => services.audit.verify(ctx.actor),
        'verifying the audit log',
      );
      const { firstBroken } = verification;
      if (!firstBroken) {
        ctx.out.result(verification, () => [
          `audit log OK: ${verification.entries} entries, last hash ${verification.lastHash ?? '(none: empty log)'}`,
        ]);
        return;
      }
      // With --json the verification is the result; the error below then adds only the stderr line.
      if (ctx.out.json) ctx.out.result(verification, () => []);
      throw new AppError(
        'audit_chain_broken',
        `audit log broken at entry ${firstBroken.seq}: ${firstBroken.reason} (${verification.entries} entries before it are intact)`,
        { details: { ...firstBroken, intactEntries: verification.entries } },
      );
    });
}
