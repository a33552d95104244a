// The `overdue` command line: job-side commands here, everything else handed to the server's CLI.
import fs from 'node:fs';
import os from 'node:os';
import { SDK_VERSION } from '../client.js';
import type { ErrorHook } from '../send-signal.js';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { clientFor } from './connect.js';
import { delegateToServer } from './delegate.js';
import { runMonitored } from './exec.js';
import { HELP } from './help.js';
import { importCrontab } from './import-crontab.js';
import { applyCommand, exportCommand } from './as-code-commands.js';
import { sendPing } from './ping.js';
import { defaultSettingsInput, resolveSettings, type Settings } from './settings.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

const processIo: Io = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

const GLOBAL: OptionSpec[] = [
  { name: 'url', value: true },
  { name: 'api-key', value: true },
  { name: 'config', value: true },
  { name: 'timeout', value: true },
  { name: 'retries', value: true },
  { name: 'quiet', short: 'q' },
  { name: 'help', short: 'h' },
];

/** What overdue does after a command: exit with a status, or die of the signal that killed the command. */
export type Ending = { code: number; signal?: NodeJS.Signals };

function settingsFrom(options: Record<string, string | boolean>): Settings {
  return resolveSettings(defaultSettingsInput(options));
}

function warner(io: Io, quiet: boolean, suffix = ''): ErrorHook {
  return (error) => {
    if (!quiet) io.err(`overdue: ${error.message}${suffix}\n`);
  };
}

async function exec(args: string[], io: Io): Promise<Ending> {
  const parsed = parseArgs(args, GLOBAL, 1);
  if (parsed.options.help) {
    io.out(HELP);
    return { code: 0 };
  }
  const [check] = parsed.operands;
  if (!check || parsed.rest.length === 0) throw new UsageError('usage: overdue exec <check> [--] <command> [args…]');
  const quiet = parsed.options.quiet === true;
  let settings: Settings | null = null;
  try {
    settings = settingsFrom(parsed.options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // A monitoring problem must not cost the job its run.
    io.err(`overdue: ${error.message}; running the command without reporting it\n`);
  }
  // The run names the machine it ran on (the dashboard's hosts); the header is the native protocol's.
  const client = settings
    ? clientFor(settings, warner(io, quiet, ' (the command is not affected)'), { 'x-overdue-host': os.hostname() })
    : null;
  const outcome = await runMonitored(client, check, parsed.rest, (line) => io.err(`overdue: ${line}\n`));
  return { code: outcome.code, signal: outcome.signal ?? undefined };
}

async function ping(args: string[], io: Io): Promise<Ending> {
  const parsed = parseArgs(args, [...GLOBAL, { name: 'message', short: 'm', value: true }, { name: 'rid', value: true }]);
  if (parsed.options.help) {
    io.out(HELP);
    return { code: 0 };
  }
  const [check, ...words] = parsed.operands;
  if (!check) throw new UsageError('usage: overdue ping <check> [start|success|fail|log|progress N|<exit status>] [-m message]');
  const settings = settingsFrom(parsed.options);
  const client = clientFor(settings, warner(io, parsed.options.quiet === true));
  const result = await sendPing(
    client,
    check,
    words,
    parsed.options.message as string | undefined,
    parsed.options.rid as string | undefined,
  );
  return { code: result.ok ? 0 : 1 };
}

async function importCommand(args: string[], io: Io): Promise<Ending> {
  const parsed = parseArgs(args, [
    ...GLOBAL,
    { name: 'tz', value: true },
    { name: 'system' },
    { name: 'prefix', value: true },
    { name: 'grace', value: true },
    { name: 'bin', value: true },
  ]);
  if (parsed.options.help) {
    io.out(HELP);
    return { code: 0 };
  }
  const [file = '-', ...extra] = parsed.operands;
  if (extra.length) throw new UsageError('usage: overdue import-crontab [<file>|-] [options]');
  const settings = settingsFrom(parsed.options);
  if (!settings.apiKey)
    throw new UsageError(
      'import-crontab needs an API key with write scope: pass --api-key, set OVERDUE_API_KEY, or put "apiKey" in the config file',
    );
  const grace = parsed.options.grace as string | undefined;
  if (grace !== undefined && !/^\d+$/.test(grace)) throw new UsageError(`--grace takes whole seconds; got "${grace}"`);
  const quiet = parsed.options.quiet === true;

  if (file === '-' && process.stdin.isTTY)
    io.err('overdue: reading a crontab from stdin (e.g. crontab -l | overdue import-crontab); end with Ctrl-D\n');
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const client = clientFor(settings, () => {});
  try {
    const result = await importCrontab(
      client,
      text,
      {
        tz: (parsed.options.tz as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
        system: parsed.options.system === true,
        prefix: parsed.options.prefix as string | undefined,
        graceS: grace === undefined ? undefined : Number(grace),
        bin: parsed.options.bin as string | undefined,
        url: settings.url,
      },
      (line) => {
        if (!quiet) io.err(`overdue: ${line}\n`);
      },
    );
    io.out(result.crontab);
    io.err(`overdue: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.failed} not imported\n`);
    return { code: result.failed ? 1 : 0 };
  } catch (error) {
    io.err(`overdue: import failed, nothing printed: ${(error as Error).message}\n`);
    return { code: 1 };
  }
}

/** Runs `overdue <args>`; resolves with how the process should end (undefined: the server CLI took over). */
export async function main(args: string[], io: Io = processIo): Promise<Ending | undefined> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return { code: 0 };
      case 'version':
      case '--version':
      case '-V':
        io.out(`${SDK_VERSION}\n`);
        return { code: 0 };
      case 'exec':
        return await exec(rest, io);
      case 'ping':
        return await ping(rest, io);
      case 'import-crontab':
        return await importCommand(rest, io);
      case 'apply':
        return await applyCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      default: {
        const code = await delegateToServer(args, io.err);
        return code === undefined ? undefined : { code };
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`overdue: ${error.message}\n`);
      return { code: 2 };
    }
    throw error;
  }
}
