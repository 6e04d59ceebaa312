import type { Command } from 'commander';
import { type Actor, type Role, roles } from '../../core/access/policy.js';
import { siret as siretSchema } from '../../core/common.schema.js';
import { AppError, validationFailed } from '../../core/errors.js';
import type { Services } from '../../services/index.js';
import type { CommandContext } from '../context.js';
import { readAllStdin, withOptionNames } from '../io.js';

interface UserCreateOptions {
  email: string;
  role: string;
  name?: string;
  organisation?: string;
  passwordStdin?: boolean;
}

/** The service's input fields, as the options the user typed, so errors name what to fix. */
const optionOf: Record<string, string> = {
  email: '--email',
  displayName: '--name',
  role: '--role',
  organisationId: '--organisation',
  password: '--password-stdin',
};

const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/** Checks what can be checked without the database, so a typo fails at once and touches nothing. */
export function checkUserCreateOptions(opts: UserCreateOptions): { role: Role; siret: string | undefined } {
  const problems: { field: string; message: string }[] = [];
  if (!isRole(opts.role)) {
    problems.push({
      field: '--role',
      message: `"${opts.role}" is not a role: use one of ${roles.join(', ')}`,
    });
  }
  let siret: string | undefined;
  if (opts.organisation !== undefined) {
    const parsed = siretSchema.safeParse(opts.organisation);
    if (parsed.success) siret = parsed.data;
    else
      problems.push({ field: '--organisation', message: parsed.error.issues[0]?.message ?? 'invalid SIRET' });
  }
  if (problems.length) throw validationFailed(problems);
  return { role: opts.role as Role, siret };
}

async function organisationIdBySiret(services: Services, actor: Actor, siret: string): Promise<string> {
  const page = await services.organisations.list(actor, {
    q: siret,
    limit: 50,
    offset: 0,
    sort: 'legalName',
    order: 'asc',
  });
  // The search also matches partial numbers; only the exact SIRET will do.
  const match = page.items.find((o) => o.siret === siret);
  if (!match) {
    throw new AppError('not_found', `No organisation with SIRET ${siret}`, {
      details: { entity: 'organisation', siret },
      fields: [{ field: '--organisation', message: 'no organisation has this SIRET' }],
    });
  }
  return match.id;
}

/** `habilis user create`: an account, with a one-time setup link or a password read from stdin. */
export function registerUser(program: Command, ctx: CommandContext): void {
  const user = program.command('user').description('manage user accounts');
  user
    .command('create')
    .description('create a user account; prints a one-time setup link unless --password-stdin is given')
    .usage('--email <email> --role <role> [options]')
    .requiredOption('--email <email>', 'the e-mail address, used to sign in')
    .requiredOption('--role <role>', `one of: ${roles.join(', ')}`)
    .option('--name <name>', 'the name shown in the application (default: the part of the e-mail before @)')
    .option('--organisation <siret>', "for a partner user: the SIRET of the partner's organisation")
    .option('--password-stdin', 'read the password from standard input instead of printing a setup link')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  habilis user create --email admin@certifier.fr --role admin --name "Claire Martin"',
        '  habilis user create --email contact@partner.fr --role partner --organisation 55210055400013',
        '  printf \'%s\' "$PASSWORD" | habilis user create --email qm@certifier.fr --role quality_manager --password-stdin',
      ].join('\n'),
    )
    .action(async (opts: UserCreateOptions) => {
      const { role, siret } = checkUserCreateOptions(opts);
      let password: string | undefined;
      if (opts.passwordStdin) {
        password = await readAllStdin(ctx.streams.stdin);
        if (!password) {
          throw validationFailed([{ field: '--password-stdin', message: 'standard input is empty' }]);
        }
      }
      const displayName = opts.name ?? opts.email.split('@')[0] ?? opts.email;
      const created = await ctx.withServices(async ({ services }) => {
        const organisationId = siret ? await organisationIdBySiret(services, ctx.actor, siret) : undefined;
        try {
          return await services.users.create(ctx.actor, {
            email: opts.email,
            displayName,
            role,
            ...(organisationId ? { organisationId } : {}),
            ...(password !== undefined ? { password } : {}),
          });
        } catch (error) {
          throw withOptionNames(error, optionOf);
        }
      });
      ctx.out.result(created, () => [
        `Created user ${created.user.email} (${created.user.role}), id ${created.user.id}.`,
        ...(created.setupLink
          ? [
              'One-time setup link for the user to choose a password (send it to them; it expires):',
              `  ${created.setupLink}`,
            ]
          : ['The user can sign in with the password given.']),
      ]);
    });
}
