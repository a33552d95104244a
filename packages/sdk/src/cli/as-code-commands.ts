// The argument handling of `overdue apply` and `overdue export` (the work is in as-code.ts).
import fs from 'node:fs';
import { OverdueRequestError } from '../errors.js';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { applyFile, expandEnv, exportFile, readFileArg } from './as-code.js';
import { HELP } from './help.js';
import type { Ending, Io } from './main.js';
import { defaultSettingsInput, resolveSettings } from './settings.js';

/** The settings every command takes (as in main.ts). */
const SETTINGS: OptionSpec[] = [
  { name: 'url', value: true },
  { name: 'api-key', value: true },
  { name: 'config', value: true },
  { name: 'timeout', value: true },
  { name: 'retries', value: true },
  { name: 'quiet', short: 'q' },
  { name: 'help', short: 'h' },
];

function refused(io: Io, what: string, error: unknown): Ending {
  if (!(error instanceof OverdueRequestError)) throw error;
  const why = error.kind === 'http' ? what : 'Overdue could not be reached, nothing was changed';
  io.err(`overdue: ${why}: ${error.message.replace(/^\w+ \/\w+: /, '')}\n`);
  return { code: 1 };
}

/** `overdue apply -f <file|-> [--dry-run] [--prune]`: exit 0 applied (or planned), 1 refused or unreachable, 2 usage. */
export async function applyCommand(args: string[], io: Io): Promise<Ending> {
  const parsed = parseArgs(args, [...SETTINGS, { name: 'file', short: 'f', value: true }, { name: 'dry-run' }, { name: 'prune' }]);
  if (parsed.options.help) {
    io.out(HELP);
    return { code: 0 };
  }
  const file = parsed.options.file as string | undefined;
  if (!file || parsed.operands.length) throw new UsageError('usage: overdue apply -f <file|-> [--dry-run] [--prune]');
  const settings = resolveSettings(defaultSettingsInput(parsed.options));
  const text = expandEnv(await readFileArg(file, () => io.readStdin()), process.env);
  try {
    const result = await applyFile(settings, { text, prune: parsed.options.prune === true, dryRun: parsed.options['dry-run'] === true });
    io.out(result.text);
    return { code: 0 };
  } catch (error) {
    return refused(io, 'apply refused, nothing was changed', error);
  }
}

/** `overdue export [-o <file>] [--format yaml|json]`: the workspace as a file for `overdue apply`. */
export async function exportCommand(args: string[], io: Io): Promise<Ending> {
  const parsed = parseArgs(args, [...SETTINGS, { name: 'output', short: 'o', value: true }, { name: 'format', value: true }]);
  if (parsed.options.help) {
    io.out(HELP);
    return { code: 0 };
  }
  const format = (parsed.options.format as string | undefined) ?? 'yaml';
  if (parsed.operands.length || (format !== 'yaml' && format !== 'json'))
    throw new UsageError('usage: overdue export [-o <file>] [--format yaml|json]');
  const settings = resolveSettings(defaultSettingsInput(parsed.options));
  try {
    const text = await exportFile(settings, format);
    const output = parsed.options.output as string | undefined;
    if (output && output !== '-') fs.writeFileSync(output, text);
    else io.out(text);
    return { code: 0 };
  } catch (error) {
    return refused(io, 'export failed', error);
  }
}
