import type { Command } from 'commander';

/** `habilis serve`: starts the server exactly as `npm start` does, by running src/server/main. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the web server and API (configured by environment variables: PORT, HOST, …)')
    .action(async () => {
      // server/main starts on import (config → database → migrations → listen) and owns its own error
      // reporting and shutdown; the CLI returns and leaves the process to the server.
      await import('../../server/main.js');
    });
}
