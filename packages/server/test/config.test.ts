// Configuration: environment variables, an optional JSON file named by OVERDUE_SERVER_CONFIG, validated with sentences
// that name the setting to fix and where its value came from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, SETTINGS, fileKeyOf, loadConfig } from '../src/config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(content: unknown, name = 'config.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const failure = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('has documented defaults for every setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:8000',
      allowPrivateTargets: false,
      sqliteSync: 'full',
      logLevel: 'info',
      retention: { signalsPerCheck: 1000, days: 90, intervalMs: 600_000 },
      metrics: { enabled: true, token: undefined },
      shutdownGraceMs: 10_000,
      configFile: undefined,
    });
    expect(Object.values(config.sources).every((s) => s.origin === 'default')).toBe(true);
    const documented = fs.readFileSync(new URL('../../../docs/operations/configuration.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      expect(documented, setting.env).toContain(`\`${setting.env}\``);
      expect(documented, setting.env).toContain(`\`${fileKeyOf(setting.env)}\``);
    }
  });

  it('reads a JSON file named by OVERDUE_SERVER_CONFIG; the environment wins over the file', () => {
    const file = configFile({
      port: 9100,
      host: '0.0.0.0',
      data_dir: 'state',
      retention_days: 30,
      allow_private_targets: true,
      metrics_token: 'file-token-0123456789',
    });
    const config = loadConfig({ OVERDUE_SERVER_CONFIG: file, OVERDUE_PORT: '9200' });
    expect(config).toMatchObject({
      configFile: file,
      port: 9200,
      host: '0.0.0.0',
      dataDir: path.join(dir, 'state'),
      allowPrivateTargets: true,
      retention: { days: 30, signalsPerCheck: 1000 },
      metrics: { token: 'file-token-0123456789' },
    });
    expect(config.sources.OVERDUE_PORT).toEqual({ origin: 'environment', value: '9200' });
    expect(config.sources.OVERDUE_HOST).toEqual({ origin: 'file', value: '0.0.0.0' });
    expect(config.sources.OVERDUE_SQLITE_SYNC).toEqual({ origin: 'default', value: undefined });
  });

  it('takes the connection limits, timeouts and the delivery timeout from the file too, with their defaults otherwise', () => {
    expect(loadConfig({})).toMatchObject({
      deliveryTimeoutMs: 10_000,
      clientRateLimit: 1000,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 120_000,
      maxConnections: 16_384,
    });
    const file = configFile(
      {
        delivery_timeout_ms: 5000,
        client_rate_limit: 0,
        request_timeout_ms: 8000,
        headers_timeout_ms: 20_000,
        keepalive_timeout_ms: 5000,
        idle_timeout_ms: 60_000,
        max_connections: 200,
      },
      'limits.json',
    );
    expect(loadConfig({ OVERDUE_SERVER_CONFIG: file, OVERDUE_MAX_CONNECTIONS: '300' })).toMatchObject({
      deliveryTimeoutMs: 5000,
      clientRateLimit: 0,
      requestTimeoutMs: 8000,
      headersTimeoutMs: 8000, // never longer than the request timeout
      keepAliveTimeoutMs: 5000,
      idleTimeoutMs: 60_000,
      maxConnections: 300,
    });
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile({ request_timeout_ms: 5 }, 'short.json') })).toMatch(
      /^OVERDUE_REQUEST_TIMEOUT_MS=5 \(from .*short\.json, key "request_timeout_ms"\) is not valid: use a whole number from 100 to 600000\.$/,
    );
  });

  it('rejects an unknown key in the file, listing the known ones', () => {
    const message = failure({ OVERDUE_SERVER_CONFIG: configFile({ prot: 8000 }) });
    expect(message).toMatch(/config\.json: unknown setting "prot"\. Known settings: port, host, data_dir, database_url/);
  });

  it('says which file and key a bad value came from', () => {
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile({ retention_days: 0 }) })).toBe(
      `OVERDUE_RETENTION_DAYS=0 (from ${path.join(dir, 'config.json')}, key "retention_days") is not valid: use a whole number from 1 to 36500.`,
    );
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile({ metrics: 'maybe' }) })).toMatch(
      /^OVERDUE_METRICS=maybe \(from .*key "metrics"\) is not valid: use true or false\.$/,
    );
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile({ port: [8000] }) })).toMatch(/"port" must be a string, a number or true\/false/);
  });

  it('explains a file it cannot read or parse', () => {
    expect(failure({ OVERDUE_SERVER_CONFIG: path.join(dir, 'missing.json') })).toMatch(
      /missing\.json cannot be read \(ENOENT\): fix the path or unset OVERDUE_SERVER_CONFIG/,
    );
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile('{"port": 80,', 'broken.json') })).toMatch(/broken\.json is not valid JSON/);
    expect(failure({ OVERDUE_SERVER_CONFIG: configFile('[1]', 'array.json') })).toMatch(/must hold one JSON object/);
  });

  it('validates environment values with a sentence naming the variable', () => {
    expect(failure({ OVERDUE_PORT: 'http' })).toBe('OVERDUE_PORT=http is not valid: use a whole number from 0 to 65535.');
    expect(failure({ OVERDUE_RETENTION_SIGNALS_PER_CHECK: '0' })).toMatch(/^OVERDUE_RETENTION_SIGNALS_PER_CHECK=0 is not valid/);
    expect(failure({ OVERDUE_LOG_LEVEL: 'loud' })).toMatch(/use one of fatal, error, warn, info, debug, trace, silent/);
    expect(failure({ OVERDUE_METRICS_TOKEN: 'short' })).toMatch(/OVERDUE_METRICS_TOKEN must be at least 16 characters/);
    expect(failure({ OVERDUE_SHUTDOWN_GRACE_S: '-1' })).toMatch(/^OVERDUE_SHUTDOWN_GRACE_S=-1 is not valid/);
    expect(failure({ DATABASE_URL: 'mysql://x' })).toBe(
      'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite store).',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/overdue' }).databaseUrl).toBe('postgresql://u@db/overdue');
  });
});
