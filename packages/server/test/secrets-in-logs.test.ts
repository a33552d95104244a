// Secrets never reach the logs: with the most verbose log level, requests carrying API keys (header, bearer,
// query string, wrong guesses), ping keys in URLs, new keys in answers and webhook URLs with tokens in them
// leave no trace of any of those secrets in what the process prints.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, PROCESS_KEY, startProcess, until, type ServerProcess } from './support/process.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './support/postgres.js';
import { freePort } from './support/server.js';

/** On PostgreSQL, a password in DATABASE_URL is one more secret (the test server trusts local connections, so any works). */
const DB_PASSWORD = 'db-pass-3e8a1f0c7b2d';

describe('secrets in logs', () => {
  let dataDir: string;
  let proc: ServerProcess;
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-secrets-'));
    const env: Record<string, string> = { OVERDUE_LOG_LEVEL: 'trace', OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' };
    if (TEST_ENGINE === 'postgres') {
      database = await createTestDatabase();
      const url = new URL(database.url);
      url.password = DB_PASSWORD;
      env.DATABASE_URL = url.toString();
    }
    proc = await startProcess(dataDir, env);
  });
  afterAll(async () => {
    await proc?.kill();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints none of the secrets that passed through it, at log level trace', async () => {
    const base = proc.url;
    const created = await api(base, 'POST', '/api/v1/keys', { name: 'ci', scope: 'write' });
    expect(created.status).toBe(201);
    const newKey: string = created.body.key;
    const pingKey: string = (await api(base, 'GET', '/api/v1/workspace')).body.ping_key;
    const hookToken = 'hook-token-6f1d2c9a8b7e';
    const queryToken = 'query-token-0a9b8c7d6e5f';
    const guessed = 'od_guessedButWrongKey0123456789abcdefghij';
    // A loopback port nothing listens on: deliveries to it fail, and failures are what gets logged.
    const port = await freePort();
    const channel = await api(base, 'POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'secret hook',
      config: { url: `http://127.0.0.1:${port}/hooks/${hookToken}?token=${queryToken}` },
    });
    expect(channel.status).toBe(201);
    const check = await api(base, 'POST', '/api/v1/checks', { name: 'secretive', schedule: { kind: 'interval', period_s: 60 } }, newKey);
    expect(check.status).toBe(201);

    // Every way a key can arrive, right and wrong, on routes that succeed and routes that refuse.
    const attempts: Array<[string, Record<string, string>]> = [
      ['/api/v1/checks', { authorization: `Bearer ${newKey}` }],
      ['/api/v1/checks', { 'x-api-key': guessed }],
      ['/api/v1/checks', { authorization: `Bearer ${guessed}` }],
      [`/api/v1/checks?api_key=${newKey}`, {}],
      ['/api/v1/keys', { 'x-api-key': newKey }],
      [`/api/v1/nowhere?key=${newKey}`, { 'x-api-key': PROCESS_KEY }],
      [`/ping/${pingKey}/secretive-slug?create=1`, { authorization: `Bearer ${newKey}` }],
      [`/ping/${check.body.key}/fail`, { 'x-api-key': newKey }],
    ];
    for (const [route, headers] of attempts) await fetch(base + route, { headers });
    await fetch(`${base}/api/v1/checks`, {
      method: 'POST',
      headers: { 'x-api-key': newKey, 'content-type': 'application/json' },
      body: `{"name": "${newKey}", "schedule": 5`,
    });
    // The fail ping opened an incident: its notification fails against the closed port and is retried.
    await until('a failed delivery attempt', async () => {
      const res = await api(base, 'GET', `/api/v1/incidents`);
      return res.body.items?.length ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    await proc.kill('SIGTERM');

    const output = proc.output();
    expect(output.length, 'the process printed nothing at level trace').toBeGreaterThan(0);
    for (const secret of [PROCESS_KEY, newKey, guessed, pingKey, hookToken, queryToken, ...(database ? [DB_PASSWORD] : [])]) {
      expect(output.includes(secret), `secret ${secret.slice(0, 6)}… appears in the log output`).toBe(false);
    }
  });
});
