// The server's command line (serve, migrate, key create, backup, doctor), exported for the single `overdue` executable of
// @overdue/sdk, which hands server commands over to it.
import { Command } from 'commander';
import { VERSION } from '../app.js';
import { registerServerCommands } from './server-commands.js';
import { registerOperationsCommands } from './operations-commands.js';

/** Runs the server CLI on a full argv (node, script, command, …); no command at all means `serve`. */
export async function runServerCli(argv: string[] = process.argv): Promise<void> {
  const program = new Command('overdue').description('Overdue: heartbeat monitoring for cron jobs, workers and pipelines').version(VERSION);
  program.showHelpAfterError('(job-side commands exec, ping and import-crontab come with @overdue/sdk: overdue help)');
  registerServerCommands(program);
  registerOperationsCommands(program);
  // serve is the default only when nothing is asked, so a mistyped command is an error rather than a server start.
  await program.parseAsync(argv.length <= 2 ? [...argv, 'serve'] : argv);
}
