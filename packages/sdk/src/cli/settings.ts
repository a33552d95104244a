// Where the CLI finds Overdue: flags, then environment, then ./.overdue.json, then the user's config file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './args.js';

export const DEFAULT_URL = 'http://127.0.0.1:8000';
/** Seconds one signal may take, retries included, by default. */
export const DEFAULT_TIMEOUT_S = 5;
export const DEFAULT_RETRIES = 2;

export interface Settings {
  url: string;
  apiKey?: string;
  /** Seconds one signal may take including retries. */
  timeoutS: number;
  retries: number;
  /** Where each value came from, for `overdue config`-style diagnostics and error messages. */
  sources: Record<'url' | 'apiKey' | 'timeoutS' | 'retries', string>;
}

/** What a config file may hold. */
interface FileSettings {
  url?: string;
  apiKey?: string;
  timeout?: number;
  retries?: number;
}

export interface SettingsInput {
  flags: Record<string, string | boolean>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
}

/** The user's config file: $XDG_CONFIG_HOME/overdue/config.json, else ~/.config/overdue/config.json. */
export function userConfigPath(env: NodeJS.ProcessEnv, home: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'overdue', 'config.json');
}

function readConfigFile(file: string, required: boolean): FileSettings | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `config file ${file} is not valid JSON (${(error as Error).message}); expected e.g. {"url": "https://overdue.example.com", "apiKey": "od_…"}`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`config file ${file} must hold a JSON object such as {"url": "…"}`);
  const known = ['url', 'apiKey', 'timeout', 'retries'];
  const unknown = Object.keys(parsed).filter((k) => !known.includes(k));
  if (unknown.length) throw new UsageError(`config file ${file}: unknown setting ${unknown.join(', ')}; use ${known.join(', ')}`);
  return parsed as FileSettings;
}

function positive(value: unknown, what: string, integer: boolean, min: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${what} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}; got ${String(value)}`);
  }
  return n;
}

/**
 * Resolves the settings. Precedence, highest first: flags (--url, --api-key, --timeout, --retries), environment
 * (OVERDUE_URL, OVERDUE_API_KEY, OVERDUE_TIMEOUT, OVERDUE_RETRIES), the file named by --config / OVERDUE_CONFIG
 * — or else ./.overdue.json over the user's config file — and last the defaults.
 */
export function resolveSettings(input: SettingsInput): Settings {
  const { flags, env } = input;
  const layers: Array<{ name: string; values: FileSettings }> = [];
  const explicit = (flags.config as string | undefined) ?? env.OVERDUE_CONFIG;
  if (explicit) {
    layers.push({ name: path.resolve(input.cwd, explicit), values: readConfigFile(path.resolve(input.cwd, explicit), true)! });
  } else {
    const project = path.join(input.cwd, '.overdue.json');
    const user = userConfigPath(env, input.home);
    const projectValues = readConfigFile(project, false);
    if (projectValues) layers.push({ name: project, values: projectValues });
    const userValues = readConfigFile(user, false);
    if (userValues) layers.push({ name: user, values: userValues });
  }
  const pick = <T>(flag: unknown, envName: string, key: keyof FileSettings, fallback: T): { value: unknown; source: string } => {
    if (flag !== undefined && flag !== true) return { value: flag, source: 'flag' };
    if (env[envName]) return { value: env[envName], source: envName };
    for (const layer of layers) if (layer.values[key] !== undefined) return { value: layer.values[key], source: layer.name };
    return { value: fallback, source: 'default' };
  };
  const url = pick(flags.url, 'OVERDUE_URL', 'url', DEFAULT_URL);
  const apiKey = pick(flags['api-key'], 'OVERDUE_API_KEY', 'apiKey', undefined);
  const timeout = pick(flags.timeout, 'OVERDUE_TIMEOUT', 'timeout', DEFAULT_TIMEOUT_S);
  const retries = pick(flags.retries, 'OVERDUE_RETRIES', 'retries', DEFAULT_RETRIES);

  const urlText = String(url.value).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(urlText))
    throw new UsageError(`the Overdue URL (from ${url.source}) must start with http:// or https://; got ${urlText}`);
  return {
    url: urlText,
    apiKey: apiKey.value === undefined ? undefined : String(apiKey.value),
    timeoutS: positive(timeout.value, `timeout (from ${timeout.source})`, false, 0.05),
    retries: positive(retries.value, `retries (from ${retries.source})`, true, 0),
    sources: { url: url.source, apiKey: apiKey.source, timeoutS: timeout.source, retries: retries.source },
  };
}

export function defaultSettingsInput(flags: Record<string, string | boolean>): SettingsInput {
  return { flags, env: process.env, cwd: process.cwd(), home: os.homedir() };
}
