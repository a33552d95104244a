// Server commands (serve, migrate, key…) belong to @overdue/server: hand them over when it is installed.

/** The module of @overdue/server that runs its command line. */
export const SERVER_CLI = '@overdue/server/cli';

export const SERVER_COMMANDS = ['serve', 'migrate', 'key', 'backup', 'doctor'];

interface ServerCli {
  runServerCli(argv: string[]): Promise<void>;
}

/** The import, through a variable so the SDK neither depends on nor type-checks against the server. */
const loadServerCli = (specifier: string): Promise<ServerCli> => import(specifier) as Promise<ServerCli>;

function missing(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') &&
    String((error as Error).message).includes('@overdue/server')
  );
}

/**
 * Runs `overdue <args>` as the server's command line. Resolves with an exit status when the server package
 * is not installed (after a hint on stderr); otherwise the server's CLI owns the process from here on.
 */
export async function delegateToServer(
  args: string[],
  writeErr: (text: string) => void,
  load = loadServerCli,
): Promise<number | undefined> {
  let cli: ServerCli;
  try {
    cli = await load(SERVER_CLI);
  } catch (error) {
    if (!missing(error)) throw error;
    const command = args[0] ?? '';
    const known = SERVER_COMMANDS.includes(command);
    writeErr(
      known
        ? `overdue: "${command}" is a server command, and the Overdue server (@overdue/server) is not installed here.\n` +
            'Run it on the machine where the Overdue server runs, in its directory (npx overdue ' +
            command +
            '), or see `overdue help`.\n'
        : `overdue: unknown command "${command}". Job-side commands: exec, ping, import-crontab; see \`overdue help\`.\n`,
    );
    return 2;
  }
  await cli.runServerCli([process.argv[0] ?? 'node', process.argv[1] ?? 'overdue', ...args]);
  return undefined;
}
