// A workspace as a monitors-as-code file: every check setting (from the API's one list of settings) and every
// channel with its secrets masked. Applying what this returns changes nothing.
import { stringify } from 'yaml';
import type { Db } from '../store/db.js';
import type { CheckRow, ChannelRow } from '../store/schema.js';
import { servicesById } from '../store/services.js';
import { channelIdsOfChecks, listChannels } from '../store/channels.js';
import { channelKind, publicConfigOf, type ConfigAudience } from '../alerts/channels/index.js';
import { presentCheck } from '../api/present.js';
import { windowEntriesOf } from './windows.js';
import { parentsOf } from '../store/dependencies.js';
import { CHECK_SETTINGS, DOCUMENT_VERSION, type AsCodeDocument, type ChannelEntry, type CheckEntry } from './document.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The checks of a workspace, sorted by slug. */
export async function workspaceChecks(db: Db, workspaceId: string): Promise<CheckRow[]> {
  const rows = await db.selectFrom('checks').selectAll().where('workspace_id', '=', workspaceId).execute();
  return rows.sort((a, b) => byText(a.slug, b.slug));
}

/**
 * Checks as file entries: slug and name first, then every setting the API takes, as the API shows it (a service
 * by name, channels by name, sorted). Reads through `db`, so it sees changes of a transaction not yet committed.
 */
export async function checkEntriesOf(
  db: Db,
  workspaceId: string,
  rows: CheckRow[],
  channelNames: Map<string, string>,
): Promise<CheckEntry[]> {
  const [services, channels, parents] = await Promise.all([
    servicesById(
      db,
      workspaceId,
      rows.map((r) => r.service_id).filter((id): id is string => id != null),
    ),
    channelIdsOfChecks(
      db,
      rows.map((r) => r.id),
    ),
    parentsOf(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  const context = { publicUrl: '', services, channels, runs: new Map(), hosts: new Map() };
  return rows.map((row) => {
    const shown = presentCheck(row, context) as Record<string, unknown>;
    const entry: Record<string, unknown> = { slug: row.slug, name: row.name };
    for (const field of CHECK_SETTINGS) {
      if (field in entry || shown[field] === undefined) continue;
      if (field === 'service') entry.service = (shown.service as { name: string } | null)?.name ?? null;
      else if (field === 'depends_on') entry.depends_on = (parents.get(row.id) ?? []).map((p) => p.slug).sort(byText);
      else if (field === 'channels') entry.channels = (shown.channels as string[]).map((id) => channelNames.get(id) ?? id).sort(byText);
      else entry[field] = shown[field];
    }
    return entry as CheckEntry;
  });
}

/**
 * A channel as a file entry; secrets are masked (for readers, also what works like one: a body template), and a
 * masked secret applied back keeps the stored one.
 */
export function channelEntryOf(row: ChannelRow, audience: ConfigAudience = 'editor'): ChannelEntry {
  const kind = channelKind(row.kind);
  const config = JSON.parse(row.config) as Record<string, unknown>;
  return {
    name: row.name,
    kind: row.kind,
    is_default: row.is_default === 1,
    ...(row.notify_late === 1 ? { notify_late: true } : {}),
    config: kind ? publicConfigOf(kind, config, audience) : {},
  };
}

/**
 * Settings that are ping credentials (whoever knows one can send signals): left out of a read key's export. Left
 * out of a file, a setting keeps its value, so such an export still applies back unchanged.
 */
const PING_CREDENTIALS = ['push_token'];

/** The whole workspace as a document, as `audience` may see it. */
export async function exportDocument(db: Db, workspaceId: string, audience: ConfigAudience = 'editor'): Promise<AsCodeDocument> {
  const channels = await listChannels(db, workspaceId);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const checks = await checkEntriesOf(db, workspaceId, await workspaceChecks(db, workspaceId), names);
  if (audience === 'reader') for (const check of checks) for (const field of PING_CREDENTIALS) delete check[field];
  return {
    version: DOCUMENT_VERSION,
    channels: channels.map((row) => channelEntryOf(row, audience)).sort((a, b) => byText(a.name, b.name)),
    checks,
    windows: await windowEntriesOf(db, workspaceId),
  };
}

/** The document as the YAML an `overdue.yaml` holds. */
export function documentYaml(doc: AsCodeDocument): string {
  return `# Overdue monitors as code: overdue apply -f this-file (see docs/monitors-as-code.md)\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
