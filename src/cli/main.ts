import { Command, CommanderError, Help } from 'commander';
import { type Config, loadConfig } from '../config/env.js';
import { systemActor } from '../core/access/policy.js';
import { appVersion } from '../server/version.js';
import type { OpenedServices } from '../services/runtime.js';
import { registerExportAccrochage, registerImportAccrochageReport } from './commands/accrochage.js';
import { registerAudit } from './commands/audit.js';
import { registerControls } from './commands/controls.js';
import { registerDemo } from './commands/demo.js';
import { registerDossier } from './commands/dossier.js';
import { registerExportDeclarations } from './commands/export-declarations.js';
import { registerFindings } from './commands/findings.js';
import { registerImportCpfOffers } from './commands/import-cpf-offers.js';
import { registerImportFranceCompetences } from './commands/import-france-competences.js';
import { registerImportPartners } from './commands/import-partners.js';
import { registerImportQualiopi } from './commands/import-qualiopi.js';
import { registerMigrate } from './commands/migrate.js';
import { registerRisk } from './commands/risk.js';
import { registerServe } from './commands/serve.js';
import { registerUser } from './commands/user.js';
import type { CommandContext } from './context.js';
import { cliExitCodes } from './exit-codes.js';
import { CliError, type CliStreams, Output } from './io.js';

export interface CliOptions extends Partial<CliStreams> {
  /** The environment the configuration is read from; the process's when unset. */
  env?: NodeJS.ProcessEnv;
  /** Opens the services for a configuration; src/services/runtime's by default. */
  openServices?: (config: Config) => Promise<OpenedServices>;
}

/** Options that apply to every command; read from the raw arguments too, for errors found while parsing. */
const flagIn = (argv: string[], flag: string) => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
};

/** The `habilis` program: global options and every command. Built fresh for each run. */
export function buildProgram(ctx: CommandContext): Command {
  const { stdout, stderr } = ctx.streams;
  const program = new Command('habilis')
    .description('Habilis: quality management for certifiers and their network of partners')
    .version(appVersion, '-V, --version', 'print the version')
    .option('--json', 'machine-readable output: exactly one JSON document on stdout')
    .option('--debug', 'print stack traces of errors')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      outputError: (text, write) => write(`habilis: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      [
        '',
        'Configuration comes from environment variables (HABILIS_DATA_DIR, DATABASE_URL, PUBLIC_URL, …);',
        'every command that reads data applies pending migrations first. Exit codes: see docs/cli.md.',
      ].join('\n'),
    );
  registerMigrate(program, ctx);
  registerUser(program, ctx);
  registerAudit(program, ctx);
  registerDemo(program, ctx);
  registerDossier(program, ctx);
  registerImportPartners(program, ctx);
  registerImportFranceCompetences(program, ctx);
  registerImportQualiopi(program, ctx);
  registerImportCpfOffers(program, ctx);
  registerExportDeclarations(program, ctx);
  registerExportAccrochage(program, ctx);
  registerImportAccrochageReport(program, ctx);
  registerControls(program, ctx);
  registerRisk(program, ctx);
  registerFindings(program, ctx);
  registerServe(program);
  // The top-level help lists every command a user can run (`user create`, not only `user`). Set after the
  // commands are added, so their own help keeps commander's default layout.
  program.configureHelp({
    visibleCommands: (cmd) =>
      new Help().visibleCommands(cmd).flatMap((c) => (c.commands.length ? c.commands : [c])),
    subcommandTerm: (cmd) => {
      const term = new Help().subcommandTerm(cmd);
      return cmd.parent && cmd.parent !== program ? `${cmd.parent.name()} ${term}` : term;
    },
  });
  return program;
}

/**
 * Runs the `habilis` command line (arguments without `node` and the script) and resolves to the exit
 * status; it never calls process.exit, so tests run it in-process and `serve` keeps the process alive.
 * Every failure goes through one place (Output.fail) that maps it to the exit-code table.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const streams: CliStreams = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
  };
  const out = new Output(streams, flagIn(argv, '--json'), flagIn(argv, '--debug'));
  let config: Config | undefined;
  const ctx: CommandContext = {
    out,
    streams,
    actor: systemActor('cli'),
    loadConfig: () => {
      config ??= options.env ? loadConfig(options.env) : loadConfig();
      return config;
    },
    async withServices(work, progressLabel) {
      const cfg = ctx.loadConfig();
      const runtime = await import('../services/runtime.js'); // PGlite and pg load only when needed
      const open = options.openServices ?? runtime.openServices;
      const run = async () => {
        let opened: OpenedServices;
        try {
          opened = await open(cfg);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new CliError(
            'unavailable',
            `could not open the database (${runtime.describeDatabase(cfg)}): ${reason}`,
            { cause: error },
          );
        }
        try {
          return await work(opened);
        } finally {
          await opened.close();
        }
      };
      return progressLabel ? out.progress(progressLabel, run) : run();
    },
  };
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return cliExitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, out);
    return out.fail(error);
  }
}

/** Commander has already printed its message (help, version, or the usage error) through configureOutput. */
function commanderExit(error: CommanderError, out: Output): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return cliExitCodes.ok;
  out.usageFailure(
    error.code === 'commander.help' ? 'a command is missing: see the help above' : error.message,
  );
  return cliExitCodes.usage;
}
