// The requests the Hexcovery and Pinghome guides show, run as written (with this server for https://<overdue>).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { history, readCheck } from '../support/checks.js';
import { cleanEnv } from '../support/cli.js';

const run = promisify(execFile);

/** The guide's ```sh blocks, joined, with its placeholder host replaced. */
function examplesOf(guide: string, url: string): string {
  const text = fs.readFileSync(new URL(`../../../../docs/migrating/${guide}`, import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThan(0);
  return blocks.join('\n').replaceAll('https://<overdue>', url);
}

describe("the migration guides' requests", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  const shell = async (script: string, key: string) => run('sh', ['-e', '-c', script], { env: cleanEnv({ OVERDUE_KEY: key }) });

  it('Hexcovery: a run that fails on db-1 and a worker beat', async () => {
    await shell(examplesOf('hexcovery.md', t.url), await t.keyWithScope('ping'));
    const checks = (await t.api('GET', '/api/v1/checks')).body.items;
    const dump = checks.find((c: { name: string }) => c.name === 'nightly dump');
    expect(dump).toMatchObject({ status: 'down', project: 'billing' });
    expect((await history(t, dump.id, 'runs'))[0]).toMatchObject({
      rid: 'run-42',
      result: 'fail',
      exit_code: 2,
      host: 'db-1',
      last_message: 'pg_dump: connection lost',
    });
    expect(checks.find((c: { name: string }) => c.name === 'queue worker')).toMatchObject({ status: 'up' });
  });

  it('Pinghome: a heartbeat created with its old id, a tick, and a run', async () => {
    await shell(examplesOf('pinghome.md', t.url), t.key);
    const id = '0b3f5e6a-1111-4222-8333-123456789abc';
    expect(await readCheck(t, id)).toMatchObject({ name: 'queue drain', status: 'up', run_count: 1, signal_count: 3 });
    expect((await history(t, id, 'runs'))[0]).toMatchObject({ result: 'success', last_message: 'drained 120 jobs' });
  });
});
