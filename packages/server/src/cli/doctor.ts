// `overdue doctor`: what this installation looks like from where it would run — configuration and where each value
// came from, the store (reachable, size, schema version, counts), outbound settings, and whether the port is free.
// It only reads: it never creates, migrates or writes a store.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely';
import { ConfigError, SETTINGS, fileKeyOf, hostAndPort, loadConfig, type Config } from '../config.js';
import { openStore, sqliteFile } from '../store/database.js';
import type { Database } from '../store/schema.js';
import { migrations } from '../store/migrations/index.js';
import { VERSION } from '../app.js';

export interface DoctorLine {
  label: string;
  value: string;
  problem?: boolean;
}
export interface DoctorSection {
  title: string;
  lines: DoctorLine[];
}
export interface DoctorReport {
  sections: DoctorSection[];
  problems: number;
}

export async function diagnose(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const sections: DoctorSection[] = [
    {
      title: 'overdue',
      lines: [
        { label: 'version', value: `${VERSION} on Node ${process.versions.node}` },
        // A running server may have been started with other settings: this report cannot see them.
        {
          label: 'describes',
          value:
            'the settings in this environment (OVERDUE_* variables, DATABASE_URL, OVERDUE_SERVER_CONFIG), not those a running server was started with',
        },
      ],
    },
  ];
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    sections.push({ title: 'configuration', lines: [{ label: 'invalid', value: error.message, problem: true }] });
    return finish(sections);
  }
  sections.push(configSection(config));
  sections.push(await storeSection(config));
  sections.push({
    title: 'outbound',
    lines: [
      { label: 'public URL', value: config.publicUrl },
      {
        label: 'private targets',
        value: config.allowPrivateTargets
          ? 'allowed (channels may reach loopback and private networks)'
          : 'refused (loopback, private and link-local addresses are blocked)',
      },
    ],
  });
  sections.push({ title: 'listen', lines: [await portLine(config.host, config.port, config.databaseUrl ? 'postgres' : 'sqlite')] });
  return finish(sections);
}

function finish(sections: DoctorSection[]): DoctorReport {
  return { sections, problems: sections.flatMap((s) => s.lines).filter((l) => l.problem).length };
}

function configSection(config: Config): DoctorSection {
  const lines: DoctorLine[] = [{ label: 'config file', value: config.configFile ?? 'none (OVERDUE_SERVER_CONFIG is not set)' }];
  for (const s of SETTINGS) {
    const { origin, value } = config.sources[s.env];
    let shown: string;
    if (origin === 'default') shown = s.fallback;
    else if (('secret' in s && s.secret) || s.env === 'DATABASE_URL') shown = '(set, hidden)';
    else shown = String(value);
    const from = origin === 'file' ? `file: ${fileKeyOf(s.env)}` : origin;
    lines.push({ label: s.env, value: `${shown}  [${from}]` });
  }
  lines.push({ label: 'data directory', value: config.dataDir });
  lines.push({
    label: 'retention',
    value: `${config.retention.signalsPerCheck} signals per check; runs, flips and settled notifications for ${config.retention.days} days`,
  });
  lines.push({
    label: 'metrics',
    value: config.metrics.enabled ? `GET /metrics${config.metrics.token ? ' (bearer token required)' : ' (open)'}` : 'off',
  });
  return { title: 'configuration', lines };
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

async function storeSection(config: Config): Promise<DoctorSection> {
  const lines: DoctorLine[] = [];
  let db: Kysely<Database>;
  if (config.databaseUrl) {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    lines.push({ label: 'engine', value: `postgres ${store.location}` });
    db = store.db;
  } else {
    const file = sqliteFile(config.dataDir);
    lines.push({ label: 'engine', value: `sqlite ${file}` });
    if (!fs.existsSync(file)) {
      lines.push({ label: 'reachable', value: 'no database yet: it is created on first start' });
      return { title: 'store', lines };
    }
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
      fs.accessSync(config.dataDir, fs.constants.W_OK);
    } catch {
      lines.push({ label: 'permissions', value: `this user cannot write ${file} or its directory (the server must)`, problem: true });
    }
    const wal = sizeOf(`${file}-wal`);
    lines.push({ label: 'size', value: `${mb(sizeOf(file))}${wal ? ` + ${mb(wal)} write-ahead log` : ''}` });
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(file, { readonly: true, fileMustExist: true }) }),
    });
  }
  try {
    const t0 = performance.now();
    await db.selectFrom('workspaces').select('id').limit(1).execute();
    lines.push({ label: 'reachable', value: `yes (${(performance.now() - t0).toFixed(1)} ms)` });
    lines.push(await schemaLine(db));
    lines.push(...(await countLines(db)));
  } catch (error) {
    lines.push({ label: 'reachable', value: `no: ${(error as Error).message}`, problem: true });
  } finally {
    await db.destroy();
  }
  return { title: 'store', lines };
}

async function schemaLine(db: Kysely<Database>): Promise<DoctorLine> {
  const known = Object.keys(migrations).sort();
  const applied = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name).sort();
  const pending = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  const latest = applied[applied.length - 1] ?? '(none)';
  if (unknown.length)
    return {
      label: 'schema',
      value: `${latest}: written by a newer Overdue (${unknown.join(', ')} unknown here); upgrade this one`,
      problem: true,
    };
  if (pending.length)
    return {
      label: 'schema',
      value: `${latest}: ${pending.length} migration(s) pending (${pending.join(', ')}); the next start or \`overdue migrate\` applies them`,
    };
  return { label: 'schema', value: `${latest} (up to date)` };
}

async function countLines(db: Kysely<Database>): Promise<DoctorLine[]> {
  const count = async (table: keyof Database, where?: RawBuilder<unknown>) => {
    const rows = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)}${where ? sql` where ${where}` : sql``}`.execute(db);
    return Number(rows.rows[0]?.n ?? 0);
  };
  const byStatus = await db
    .selectFrom('checks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const statusText = byStatus.map((r) => `${Number(r.n)} ${r.status}`).join(', ') || 'none';
  const channels = await db
    .selectFrom('channels')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kind')
    .execute();
  return [
    { label: 'workspaces', value: String(await count('workspaces')) },
    { label: 'API keys', value: `${await count('api_keys', sql`revoked_at is null`)} active` },
    { label: 'checks', value: `${await count('checks')} (${statusText})` },
    { label: 'signals', value: String(await count('signals')) },
    { label: 'runs', value: String(await count('runs')) },
    { label: 'open incidents', value: String(await count('incidents', sql`resolved_at is null`)) },
    { label: 'channels', value: channels.map((r) => `${Number(r.n)} ${r.kind}`).join(', ') || 'none' },
    { label: 'pending notifications', value: String(await count('outbox', sql`status = 'pending'`)) },
  ];
}

/** Whether the server could listen where it is configured to, and if not, whether an Overdue already does. */
async function portLine(host: string, port: number, engine: 'sqlite' | 'postgres'): Promise<DoctorLine> {
  const label = hostAndPort(host, port);
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = net.createServer();
    probe.once('error', (e) => resolve(e));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
  if (!error) return { label, value: 'free' };
  if (error.code === 'EADDRINUSE') {
    const running = await runningStore(`http://${label}/healthz`);
    if (running == null) return { label, value: 'in use by another program: stop it or set OVERDUE_PORT', problem: true };
    if (running !== engine) {
      return {
        label,
        value: `in use by a running Overdue whose store is ${running}, but these settings name ${engine}: this report is not about that server; run doctor with the environment it was started with`,
        problem: true,
      };
    }
    return {
      label,
      value: `in use by a running Overdue (its /healthz answers ok, ${running} store); it may have been started with other settings than the ones above`,
    };
  }
  if (error.code === 'EACCES')
    return { label, value: 'not allowed for this user (ports below 1024 need privileges): use a higher OVERDUE_PORT', problem: true };
  return { label, value: `cannot listen: ${error.code ?? error.message} (is OVERDUE_HOST an address of this machine?)`, problem: true };
}

/** The store engine an Overdue at `url` (its /healthz) reports within 2 seconds, or null when none answers so. */
function runningStore(url: string): Promise<string | null> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2000, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        try {
          const answer = JSON.parse(body) as { ok?: unknown; store?: unknown };
          resolve(response.statusCode === 200 && answer.ok === true ? String(answer.store ?? 'unknown') : null);
        } catch {
          resolve(null);
        }
      });
      response.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

/** The report as aligned text. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.sections.flatMap((s) => s.lines.map((l) => l.label.length)));
  const out: string[] = [];
  for (const section of report.sections) {
    out.push(section.title);
    for (const line of section.lines) out.push(`  ${line.problem ? '✗' : ' '} ${line.label.padEnd(width)}  ${line.value}`);
    out.push('');
  }
  out.push(report.problems === 0 ? 'No problems found.' : `${report.problems} problem(s) found (marked ✗).`);
  return `${out.join('\n')}\n`;
}
