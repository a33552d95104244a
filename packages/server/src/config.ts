// Configuration: environment variables (protocol.md §7) plus an optional JSON file named by OVERDUE_SERVER_CONFIG,
// validated once at start with errors a person can act on. docs/operations/configuration.md lists every setting.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DAY_S, HOUR_MS, HOUR_S } from './core/index.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapKey: string | undefined;
  publicUrl: string;
  allowPrivateTargets: boolean;
  /** Server mail (invitations): an smtp:// or smtps:// URL, and the From address; unset: links are shown to admins. */
  smtp: { url: string | undefined; from: string };
  /** Whether every signed-in person may create workspaces (otherwise only admins of the first workspace). */
  allowWorkspaceCreation: boolean;
  sqliteSync: 'full' | 'normal';
  logLevel: string;
  /** Largest request body accepted, in bytes (protocol.md §3: 1 MB). */
  bodyLimit: number;
  /** Pings per second allowed per check before 429 (a burst of 10× is tolerated). */
  pingRateLimit: number;
  /** Timeout of every outbound notification request (HTTP or SMTP). */
  deliveryTimeoutMs: number;
  /** Requests per second allowed per client address at the HTTP edge before 429 (burst 10×); 0 turns it off. */
  clientRateLimit: number;
  /** Reverse proxies (addresses, CIDRs) whose X-Forwarded-For is believed; empty: none. */
  trustedProxies: string[];
  /** A request must arrive whole (headers and body) within this many ms, else 408 and the connection closes. */
  requestTimeoutMs: number;
  /** A request's headers must arrive within this many ms of its first byte (slow-header clients). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing moves for this many ms is closed (idle sockets, stalled readers). */
  idleTimeoutMs: number;
  /** Open connections beyond this are closed as they arrive; 0 means no cap. */
  maxConnections: number;
  /** Quotas a self-hoster sets against runaway or hostile check creation. */
  quotas: {
    /** Checks one workspace may hold; every way of creating one is refused beyond it. */
    checksPerWorkspace: number;
    /** Checks a workspace's signals may create per minute (?create=1, Hexcovery names); 429 beyond it. */
    autoCreatePerMinute: number;
  };
  retention: {
    /** Newest signals kept per check. */
    signalsPerCheck: number;
    /** Age after which finished runs, flips and settled notifications are deleted. */
    days: number;
    /** Pause between two pruning passes. */
    intervalMs: number;
  };
  metrics: {
    /** Serve GET /metrics. */
    enabled: boolean;
    /** When set, GET /metrics wants "Authorization: Bearer <token>". */
    token: string | undefined;
  };
  /** How long a stop waits for in-flight work (requests, notification sends) before cutting it off. */
  shutdownGraceMs: number;
  /** The config file that was read, if any. */
  configFile: string | undefined;
  /** Each setting as given (before parsing) and where it came from, by environment variable name. */
  sources: Record<string, { origin: SettingOrigin; value: string | undefined }>;
  /** PostgreSQL only: connections this instance keeps open at most. */
  pgPoolSize: number;
  /** PostgreSQL only: a statement running longer is cancelled (0: no limit). */
  pgStatementTimeoutMs: number;
}

export type SettingOrigin = 'environment' | 'file' | 'default';

export class ConfigError extends Error {}

/**
 * Every setting: its environment variable (the file's key is derived from it), what it does, its default, and for
 * whole numbers the range accepted. loadConfig takes defaults and ranges from here, so `overdue doctor` shows what runs.
 */
export const SETTINGS = [
  { env: 'OVERDUE_PORT', about: 'TCP port to listen on (0: any free port)', fallback: '8000', range: [0, 65_535] },
  { env: 'OVERDUE_HOST', about: 'address to listen on; 0.0.0.0 for every interface', fallback: '127.0.0.1' },
  { env: 'OVERDUE_DATA_DIR', about: 'directory of the SQLite file (overdue.db)', fallback: './data' },
  { env: 'DATABASE_URL', about: 'postgres://… switches the store to PostgreSQL', fallback: '(unset: SQLite)' },
  {
    env: 'OVERDUE_BOOTSTRAP_KEY',
    about: "on first start, the first workspace's admin key (16+ characters)",
    fallback: '(unset: one is generated and printed)',
    secret: true,
  },
  {
    env: 'OVERDUE_PUBLIC_URL',
    about: 'base of links in alerts, ping URLs, badges and status pages',
    fallback: 'http://HOST:PORT (localhost when HOST is 0.0.0.0 or ::)',
  },
  {
    env: 'OVERDUE_SMTP_URL',
    about: 'smtp://user:password@host:587 (STARTTLS) or smtps://…:465: sends invitation e-mails',
    fallback: '(unset: admins copy invitation links)',
    secret: true,
  },
  { env: 'OVERDUE_SMTP_FROM', about: 'the From address of invitation e-mails', fallback: 'Overdue <overdue@HOST of the public URL>' },
  {
    env: 'OVERDUE_ALLOW_WORKSPACE_CREATION',
    about: 'let every signed-in person create workspaces (false: only admins of the first workspace)',
    fallback: 'false',
  },
  { env: 'OVERDUE_ALLOW_PRIVATE_TARGETS', about: 'let channels send to loopback and private addresses', fallback: 'false' },
  { env: 'OVERDUE_SQLITE_SYNC', about: 'full (power-loss safe) or normal (survives process crashes only)', fallback: 'full' },
  { env: 'OVERDUE_LOG_LEVEL', about: 'fatal, error, warn, info, debug, trace or silent', fallback: 'info' },
  {
    env: 'OVERDUE_PING_RATE_LIMIT',
    about: 'pings per second per check before 429 (bursts of 10× pass)',
    fallback: '100',
    range: [1, 1_000_000],
  },
  {
    env: 'OVERDUE_DELIVERY_TIMEOUT_MS',
    about: 'timeout of each outbound notification (HTTP or SMTP), in ms',
    fallback: '10000',
    range: [100, 120_000],
  },
  {
    env: 'OVERDUE_TRUSTED_PROXIES',
    about: 'addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (comma-separated)',
    fallback: "(unset: none; the connection's address is the client)",
  },
  {
    env: 'OVERDUE_CLIENT_RATE_LIMIT',
    about: 'requests per second per client address before 429 (bursts of 10× pass); 0: off',
    fallback: '1000',
    range: [0, 1_000_000],
  },
  {
    env: 'OVERDUE_REQUEST_TIMEOUT_MS',
    about: 'ms a request may take to arrive whole before 408',
    fallback: '30000',
    range: [100, 600_000],
  },
  {
    env: 'OVERDUE_HEADERS_TIMEOUT_MS',
    about: "ms a request's headers may take to arrive (at most the request timeout)",
    fallback: '10000',
    range: [100, 600_000],
  },
  { env: 'OVERDUE_KEEPALIVE_TIMEOUT_MS', about: 'ms an idle keep-alive connection stays open', fallback: '72000', range: [100, 600_000] },
  { env: 'OVERDUE_IDLE_TIMEOUT_MS', about: 'ms a connection on which nothing moves stays open', fallback: '120000', range: [100, HOUR_MS] },
  {
    env: 'OVERDUE_MAX_CONNECTIONS',
    about: 'open connections beyond this are closed as they arrive; 0: no cap',
    fallback: '16384',
    range: [0, 1_000_000],
  },
  {
    env: 'OVERDUE_MAX_CHECKS_PER_WORKSPACE',
    about: 'checks one workspace may hold, however they are created',
    fallback: '10000',
    range: [1, 10_000_000],
  },
  {
    env: 'OVERDUE_AUTO_CREATE_PER_MINUTE',
    about: "checks a workspace's pings may create per minute (?create=1, job names); then 429",
    fallback: '60',
    range: [1, 1_000_000],
  },
  { env: 'OVERDUE_RETENTION_SIGNALS_PER_CHECK', about: 'newest signals kept per check', fallback: '1000', range: [1, 10_000_000] },
  {
    env: 'OVERDUE_RETENTION_DAYS',
    about: 'days finished runs, flips and settled notifications are kept',
    fallback: '90',
    range: [1, 36_500],
  },
  { env: 'OVERDUE_RETENTION_INTERVAL_S', about: 'seconds between two pruning passes', fallback: '600', range: [1, DAY_S] },
  { env: 'OVERDUE_METRICS', about: 'serve Prometheus metrics at GET /metrics', fallback: 'true' },
  {
    env: 'OVERDUE_METRICS_TOKEN',
    about: 'if set, GET /metrics needs "Authorization: Bearer <token>"',
    fallback: '(unset: open)',
    secret: true,
  },
  { env: 'OVERDUE_SHUTDOWN_GRACE_S', about: 'seconds a stop waits for in-flight requests and sends', fallback: '10', range: [0, HOUR_S] },
  {
    env: 'OVERDUE_PG_POOL_SIZE',
    about: 'PostgreSQL connections per instance (plus one for live updates)',
    fallback: '10',
    range: [1, 1000],
  },
  {
    env: 'OVERDUE_PG_STATEMENT_TIMEOUT_MS',
    about: 'a PostgreSQL statement or lock wait longer than this is cancelled, in ms; 0: no limit',
    fallback: '10000',
    range: [0, HOUR_MS],
  },
] as const satisfies ReadonlyArray<{ env: string; about: string; fallback: string; secret?: boolean; range?: readonly [number, number] }>;

type Setting = (typeof SETTINGS)[number];
type WholeNumberSetting = Extract<Setting, { range: readonly [number, number] }>;

function settingOf<S extends Setting>(name: S['env']): S {
  return SETTINGS.find((s) => s.env === name) as S;
}

/** host:port as a URL authority (an IPv6 address in brackets). */
export function hostAndPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Whether `host` means every interface (0.0.0.0, ::), which is no address to put in a link. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The config file's key for an environment variable: OVERDUE_RETENTION_DAYS → retention_days. */
export function fileKeyOf(envName: string): string {
  return envName.replace(/^OVERDUE_/, '').toLowerCase();
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the optional config file into environment-variable form; values from the real environment win. */
function readConfigFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `OVERDUE_SERVER_CONFIG=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): fix the path or unset OVERDUE_SERVER_CONFIG.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}).`);
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${file} must hold one JSON object, e.g. {"port": 8000, "data_dir": "/var/lib/overdue"}.`);
  }
  const byKey = new Map<string, string>(SETTINGS.map((s) => [fileKeyOf(s.env), s.env]));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const envName = byKey.get(key);
    if (!envName) throw new ConfigError(`${file}: unknown setting "${key}". Known settings: ${[...byKey.keys()].join(', ')}.`);
    if (value === null) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new ConfigError(`${file}: "${key}" must be a string, a number or true/false.`);
    }
    // A relative data directory in a file means relative to that file, not to wherever the server was started.
    values[envName] = envName === 'OVERDUE_DATA_DIR' ? path.resolve(path.dirname(file), String(value)) : String(value);
  }
  return values;
}

/** Loads and validates the configuration; throws ConfigError with a sentence naming the setting to fix. */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env): Config {
  const configFile = processEnv.OVERDUE_SERVER_CONFIG ? path.resolve(processEnv.OVERDUE_SERVER_CONFIG) : undefined;
  const fromFile = configFile ? readConfigFile(configFile) : {};
  const env: NodeJS.ProcessEnv = { ...fromFile };
  for (const [name, value] of Object.entries(processEnv)) if (value != null && value !== '') env[name] = value;
  const sources: Config['sources'] = {};
  for (const { env: name } of SETTINGS) {
    const origin = processEnv[name] != null && processEnv[name] !== '' ? 'environment' : name in fromFile ? 'file' : 'default';
    sources[name] = { origin, value: env[name] };
  }
  const where = (name: string) => (sources[name]?.origin === 'file' ? ` (from ${configFile}, key "${fileKeyOf(name)}")` : '');

  const text = (name: 'OVERDUE_HOST' | 'OVERDUE_DATA_DIR' | 'OVERDUE_SQLITE_SYNC' | 'OVERDUE_LOG_LEVEL'): string =>
    env[name] || settingOf(name).fallback;
  const integer = (name: WholeNumberSetting['env']): number => {
    const {
      fallback,
      range: [min, max],
    } = settingOf<WholeNumberSetting>(name);
    const raw = env[name];
    if (raw == null || raw === '') return Number(fallback);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`${name}=${raw}${where(name)} is not valid: use a whole number from ${min} to ${max}.`);
    }
    return value;
  };
  const flag = (name: 'OVERDUE_ALLOW_PRIVATE_TARGETS' | 'OVERDUE_METRICS' | 'OVERDUE_ALLOW_WORKSPACE_CREATION'): boolean => {
    const raw = (env[name] || settingOf(name).fallback).toLowerCase();
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    throw new ConfigError(`${name}=${env[name]}${where(name)} is not valid: use true or false.`);
  };

  const port = integer('OVERDUE_PORT');
  const host = text('OVERDUE_HOST');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL${where('DATABASE_URL')} must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite store).`,
    );
  }
  // Listening on every interface names no address anyone can reach: links then say localhost, and `serve` warns.
  const publicUrl = (env.OVERDUE_PUBLIC_URL || `http://${hostAndPort(isWildcard(host) ? 'localhost' : host, port)}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(
      `OVERDUE_PUBLIC_URL=${publicUrl}${where('OVERDUE_PUBLIC_URL')} is not a URL: use e.g. https://overdue.example.com.`,
    );
  }
  const bootstrapKey = env.OVERDUE_BOOTSTRAP_KEY || undefined;
  if (bootstrapKey && bootstrapKey.length < 16) {
    throw new ConfigError(`OVERDUE_BOOTSTRAP_KEY${where('OVERDUE_BOOTSTRAP_KEY')} must be at least 16 characters long.`);
  }
  const sync = text('OVERDUE_SQLITE_SYNC').toLowerCase();
  if (sync !== 'full' && sync !== 'normal')
    throw new ConfigError(`OVERDUE_SQLITE_SYNC${where('OVERDUE_SQLITE_SYNC')} must be full or normal.`);
  const logLevel = text('OVERDUE_LOG_LEVEL').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `OVERDUE_LOG_LEVEL=${env.OVERDUE_LOG_LEVEL}${where('OVERDUE_LOG_LEVEL')} is not valid: use one of ${LOG_LEVELS.join(', ')}.`,
    );
  }
  const metricsToken = env.OVERDUE_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) {
    throw new ConfigError(`OVERDUE_METRICS_TOKEN${where('OVERDUE_METRICS_TOKEN')} must be at least 16 characters long.`);
  }
  const smtpUrl = env.OVERDUE_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/?#]+/.test(smtpUrl)) {
    throw new ConfigError(
      `OVERDUE_SMTP_URL${where('OVERDUE_SMTP_URL')} must look like smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465.`,
    );
  }
  const requestTimeoutMs = integer('OVERDUE_REQUEST_TIMEOUT_MS');
  const trustedProxies = (env.OVERDUE_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const proxy of trustedProxies) {
    if (!isAddressOrCidr(proxy)) {
      throw new ConfigError(
        `OVERDUE_TRUSTED_PROXIES${where('OVERDUE_TRUSTED_PROXIES')} has "${proxy}", which is not an IP address or CIDR (e.g. 10.0.0.5, 10.0.0.0/8, ::1, fd00::/8).`,
      );
    }
  }
  return {
    port,
    host,
    dataDir: path.resolve(text('OVERDUE_DATA_DIR')),
    databaseUrl,
    bootstrapKey,
    publicUrl,
    allowPrivateTargets: flag('OVERDUE_ALLOW_PRIVATE_TARGETS'),
    smtp: { url: smtpUrl, from: env.OVERDUE_SMTP_FROM || `Overdue <overdue@${new URL(publicUrl).hostname.replace(/^\[|\]$/g, '')}>` },
    allowWorkspaceCreation: flag('OVERDUE_ALLOW_WORKSPACE_CREATION'),
    sqliteSync: sync,
    logLevel,
    bodyLimit: 1024 * 1024,
    pingRateLimit: integer('OVERDUE_PING_RATE_LIMIT'),
    deliveryTimeoutMs: integer('OVERDUE_DELIVERY_TIMEOUT_MS'),
    clientRateLimit: integer('OVERDUE_CLIENT_RATE_LIMIT'),
    trustedProxies,
    requestTimeoutMs,
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeoutMs: Math.min(requestTimeoutMs, integer('OVERDUE_HEADERS_TIMEOUT_MS')),
    keepAliveTimeoutMs: integer('OVERDUE_KEEPALIVE_TIMEOUT_MS'),
    idleTimeoutMs: integer('OVERDUE_IDLE_TIMEOUT_MS'),
    maxConnections: integer('OVERDUE_MAX_CONNECTIONS'),
    quotas: {
      checksPerWorkspace: integer('OVERDUE_MAX_CHECKS_PER_WORKSPACE'),
      autoCreatePerMinute: integer('OVERDUE_AUTO_CREATE_PER_MINUTE'),
    },
    retention: {
      signalsPerCheck: integer('OVERDUE_RETENTION_SIGNALS_PER_CHECK'),
      days: integer('OVERDUE_RETENTION_DAYS'),
      intervalMs: integer('OVERDUE_RETENTION_INTERVAL_S') * 1000,
    },
    metrics: { enabled: flag('OVERDUE_METRICS'), token: metricsToken },
    shutdownGraceMs: integer('OVERDUE_SHUTDOWN_GRACE_S') * 1000,
    configFile,
    sources,
    pgPoolSize: integer('OVERDUE_PG_POOL_SIZE'),
    pgStatementTimeoutMs: integer('OVERDUE_PG_STATEMENT_TIMEOUT_MS'),
  };
}

/** An IPv4/IPv6 address, or one with a /prefix length that fits it. */
function isAddressOrCidr(text: string): boolean {
  const [address, prefix, extra] = text.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
