// `overdue apply -f overdue.yaml` and `overdue export`: monitors as code. The server reads, validates and applies
// the file (POST /api/v1/apply) and writes it (GET /api/v1/export), so this side needs no YAML library.
import fs from 'node:fs';
import { createClient } from '../client.js';
import { OverdueRequestError } from '../errors.js';
import { exchange } from '../transport.js';
import type { Settings } from './settings.js';
import { UsageError } from './args.js';

/** The least patience for a whole file: applying hundreds of checks takes longer than one signal. */
const MIN_TIMEOUT_S = 60;

export interface PlanEntry {
  section: string;
  name: string;
  action: 'create' | 'change' | 'delete' | 'unchanged';
  changes?: Array<{ field: string; old: unknown; new: unknown }>;
  warnings?: string[];
}

const show = (value: unknown) => (value === undefined ? 'null' : JSON.stringify(value));

/** The plan as people read it: one line per check or channel, each changed field as old → new, then the totals. */
export function formatPlan(plan: PlanEntry[], applied: boolean): string {
  const lines: string[] = [];
  const width = Math.max(0, ...plan.map((p) => p.action.length));
  for (const entry of plan) {
    lines.push(`${entry.action.padEnd(width)}  ${entry.section}/${entry.name}`);
    for (const change of entry.changes ?? [])
      lines.push(`${' '.repeat(width + 4)}${change.field}: ${show(change.old)} → ${show(change.new)}`);
    for (const warning of entry.warnings ?? []) lines.push(`${' '.repeat(width + 4)}warning: ${warning}`);
  }
  const count = (action: string) => plan.filter((p) => p.action === action).length;
  lines.push(
    applied
      ? `Applied: ${count('create')} created, ${count('change')} changed, ${count('delete')} deleted, ${count('unchanged')} unchanged.`
      : `Dry run, nothing changed: ${count('create')} to create, ${count('change')} to change, ${count('delete')} to delete, ${count('unchanged')} unchanged.`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `${NAME}` in the file becomes the environment variable NAME, so secrets (a webhook URL, an SMTP password)
 * need not be written in a file kept in version control. Every unset name is reported at once.
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  const missing = new Set<string>();
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => {
    const value = env[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  if (missing.size) throw new UsageError(`the file uses unset environment variables: ${[...missing].join(', ')}`);
  return out;
}

function needKey(settings: Settings, scope: string): void {
  if (!settings.apiKey)
    throw new UsageError(`needs an API key with ${scope} scope: pass --api-key, set OVERDUE_API_KEY, or put "apiKey" in the config file`);
}

const patience = (settings: Settings) => Math.max(settings.timeoutS, MIN_TIMEOUT_S) * 1000;

export interface ApplyOptions {
  text: string;
  prune: boolean;
  dryRun: boolean;
}

/** Sends the file; resolves with the plan as text, or throws the server's refusal (every problem, with its path). */
export async function applyFile(settings: Settings, options: ApplyOptions): Promise<{ text: string; plan: PlanEntry[] }> {
  needKey(settings, 'write');
  const client = createClient({
    baseUrl: settings.url,
    apiKey: settings.apiKey,
    deadlineMs: patience(settings),
    timeoutMs: patience(settings),
    retries: 0,
    onError: () => {},
  });
  const answer = await client.api<{ plan: PlanEntry[]; applied: boolean }>('POST', '/apply', {
    document: options.text,
    prune: options.prune,
    dry_run: options.dryRun,
  });
  return { text: formatPlan(answer.plan, answer.applied), plan: answer.plan };
}

/** The workspace as a file (YAML, or JSON). */
export async function exportFile(settings: Settings, format: 'yaml' | 'json'): Promise<string> {
  needKey(settings, 'read');
  const url = `${settings.url.replace(/\/+$/, '')}/api/v1/export?format=${format}`;
  const answer = await exchange(
    { method: 'GET', url, headers: { 'x-api-key': settings.apiKey!, accept: format === 'json' ? 'application/json' : 'text/yaml' } },
    {
      timeoutMs: patience(settings),
      deadlineMs: patience(settings),
      retries: settings.retries,
      backoffMs: 200,
      fetch: globalThis.fetch.bind(globalThis),
    },
  );
  if (answer.status !== 200) {
    let message = answer.text;
    try {
      message = (JSON.parse(answer.text) as { error: { message: string } }).error.message;
    } catch {
      /* the text is the message */
    }
    throw new OverdueRequestError(`GET /export: ${answer.status} ${message}`, {
      kind: 'http',
      url,
      attempts: answer.attempts,
      status: answer.status,
    });
  }
  return answer.text;
}

/** Reads a file argument: a path, or "-" for stdin. */
export function readFileArg(file: string, readStdin: () => Promise<string>): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return Promise.resolve(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
