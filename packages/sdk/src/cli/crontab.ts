// Reading a crontab into jobs and writing it back with each job wrapped in `overdue exec`. Pure text work.

export interface CronJob {
  /** Index of the job's line in the crontab. */
  line: number;
  /** The schedule as written ("0 2 * * *" or "@daily"). */
  schedule: string;
  /** The 5-field expression Overdue stores. */
  expr: string;
  /** IANA time zone: CRON_TZ above the line, else the default. */
  tz: string;
  /** The user field of a system crontab (/etc/crontab, /etc/cron.d/*). */
  user?: string;
  /** The job's command as the user wrote it, unwrapped if it was already wrapped; without the %-stdin part. */
  command: string;
  /** Cron's "%…" stdin part, kept verbatim after the command (empty when none). */
  stdin: string;
  name: string;
  slug: string;
}

export interface SkippedLine {
  line: number;
  reason: string;
}

export interface ParsedCrontab {
  lines: string[];
  jobs: CronJob[];
  skipped: SkippedLine[];
  /** Whether the crontab already sets OVERDUE_URL for its jobs. */
  setsUrl: boolean;
}

export interface ParseOptions {
  /** Time zone of lines without CRON_TZ (the host's zone). */
  tz: string;
  /** A system crontab: a user name follows the schedule. */
  system?: boolean;
  /** Prepended to every slug, e.g. the host name, so several hosts' crontabs do not share checks. */
  prefix?: string;
  /** The command lines were wrapped with, to recognise them on a second import (default `overdue`). */
  bin?: string;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const FIELD = /^[A-Za-z0-9*,/?#LW-]+$/;
const ENV_LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const NAME_COMMENT = /^\s*#\s*overdue:\s*(.+?)\s*$/i;
/** A redirection at the end of a command, e.g. " > /var/log/x.log", " 2>&1", " >> out". */
const TRAILING_REDIRECT = /(\s+(?:\d*>&\d+|(?:\d*>>?|&>>?|<)\s*[^\s'"`;&|<>()$]+))$/;
/** Anything a plain program-and-arguments call cannot express without a shell. */
const NEEDS_SHELL = /[;&|<>()$`\\"'*?[\]{}~!#\n]/;

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Splits a cron command at its first unescaped %: what the shell runs, and what cron feeds it on stdin. */
function splitStdin(command: string): { command: string; stdin: string } {
  for (let i = 0; i < command.length; i += 1) {
    if (command[i] === '\\') {
      i += 1;
      continue;
    }
    if (command[i] === '%') return { command: command.slice(0, i), stdin: command.slice(i) };
  }
  return { command, stdin: '' };
}

/** Splits trailing redirections off, so the wrapper's output (which is the command's) still goes there. */
export function splitRedirections(command: string): { core: string; redirections: string } {
  let core = command.trimEnd();
  let redirections = '';
  for (let m = TRAILING_REDIRECT.exec(core); m; m = TRAILING_REDIRECT.exec(core)) {
    redirections = m[1] + redirections;
    core = core.slice(0, core.length - m[1].length);
  }
  return { core, redirections };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The words after `overdue exec <check> --`: the command itself, or `sh -c '…'` when it needs a shell. */
export function wrapCommand(command: string): string {
  const { core, redirections } = splitRedirections(command);
  const first = core.trim().split(/\s+/, 1)[0] ?? '';
  if (!NEEDS_SHELL.test(core) && !first.includes('=')) return core.trim() + redirections;
  return `sh -c ${quote(core.trim())}${redirections}`;
}

/** The reverse of wrapCommand, for lines wrapped by an earlier import. */
function unwrapCommand(words: string): string {
  const shell = /^sh -c '((?:[^']|'\\'')*)'(.*)$/s.exec(words);
  if (!shell) return words;
  return shell[1].replace(/'\\''/g, "'") + shell[2];
}

/** A readable name for a job: its command without redirections, the program's path shortened to its name. */
export function nameOf(command: string): string {
  const { core } = splitRedirections(command);
  const words = core.trim().split(/\s+/);
  if (words[0]?.includes('/') && !words[0].includes('=')) words[0] = words[0].slice(words[0].lastIndexOf('/') + 1);
  return words.join(' ').slice(0, 200) || 'cron job';
}

export function parseCrontab(text: string, options: ParseOptions): ParsedCrontab {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const bins = [...new Set([options.bin ?? 'overdue', 'overdue'])];
  const wrapped = new RegExp(
    `^(?:${bins.map(escapeRegExp).join('|')}|\\S*/overdue)\\s+exec\\s+(?:-\\S+\\s+(?:[^-\\s]\\S*\\s+)?)*\\S+\\s+(?:--\\s+)?(.*)$`,
    's',
  );
  const prefix = options.prefix ? `${slugify(options.prefix)}-` : '';
  const parsed: ParsedCrontab = { lines, jobs: [], skipped: [], setsUrl: false };
  const slugCounts = new Map<string, number>();
  let tz = options.tz;
  let pendingName: string | null = null;

  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    const named = NAME_COMMENT.exec(raw);
    if (named) {
      pendingName = named[1];
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      pendingName = null;
      return;
    }
    const env = ENV_LINE.exec(raw);
    if (env) {
      const value = env[2].trim().replace(/^(['"])(.*)\1$/, '$2');
      if (env[1] === 'CRON_TZ') tz = value || options.tz;
      if (env[1] === 'OVERDUE_URL') parsed.setsUrl = true;
      return;
    }
    const nameFromComment = pendingName;
    pendingName = null;

    const words = trimmed.split(/\s+/);
    let schedule: string;
    let expr: string;
    let rest: string[];
    if (words[0].startsWith('@')) {
      if (words[0] === '@reboot') {
        parsed.skipped.push({ line: index, reason: '@reboot has no schedule to watch' });
        return;
      }
      const macro = MACROS[words[0]];
      if (!macro) {
        parsed.skipped.push({ line: index, reason: `unknown schedule ${words[0]}` });
        return;
      }
      schedule = words[0];
      expr = macro;
      rest = words.slice(1);
    } else {
      const fields = words.slice(0, 5);
      if (fields.length < 5 || !fields.every((f) => FIELD.test(f))) {
        parsed.skipped.push({ line: index, reason: 'not a cron line (expected 5 schedule fields and a command)' });
        return;
      }
      schedule = expr = fields.join(' ');
      rest = words.slice(5);
    }
    const user = options.system ? rest.shift() : undefined;
    // The command keeps its original spacing: take the text after the schedule (and user) words.
    const skip = new RegExp(`^\\s*${[...schedule.split(' '), ...(user ? [user] : [])].map((w) => `${escapeRegExp(w)}\\s+`).join('')}`);
    const commandText = raw.replace(skip, '');
    if (!commandText.trim() || (options.system && !user)) {
      parsed.skipped.push({ line: index, reason: 'no command after the schedule' });
      return;
    }

    const split = splitStdin(commandText);
    const already = wrapped.exec(split.command.trim());
    const command = already ? unwrapCommand(already[1]) : split.command.trim();
    const name = nameFromComment ?? nameOf(command);
    const base = (prefix + (slugify(name) || 'job')).slice(0, 90);
    const seen = (slugCounts.get(base) ?? 0) + 1;
    slugCounts.set(base, seen);
    parsed.jobs.push({
      line: index,
      schedule,
      expr,
      tz,
      user,
      command,
      stdin: split.stdin,
      name,
      slug: seen === 1 ? base : `${base}-${seen}`,
    });
  });
  return parsed;
}

export interface RewriteOptions {
  /** How cron should call overdue (default `overdue`; e.g. an absolute path, since cron's PATH is short). */
  bin?: string;
  /** Added as OVERDUE_URL=… at the top when the crontab does not set it, so the jobs know where to report. */
  url?: string;
}

/** The crontab with each job whose check is known (line → check key) wrapped in `overdue exec`. */
export function rewriteCrontab(parsed: ParsedCrontab, checks: Map<number, string>, options: RewriteOptions = {}): string {
  const bin = options.bin ?? 'overdue';
  const out = parsed.lines.slice();
  for (const job of parsed.jobs) {
    const ref = checks.get(job.line);
    if (!ref) continue;
    const indent = /^\s*/.exec(parsed.lines[job.line])![0];
    out[job.line] =
      `${indent}${job.schedule} ${job.user ? `${job.user} ` : ''}${bin} exec ${ref} -- ${wrapCommand(job.command)}${job.stdin}`;
  }
  if (options.url && !parsed.setsUrl) out.unshift(`OVERDUE_URL=${options.url}`);
  return `${out.join('\n')}\n`;
}
