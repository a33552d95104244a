// Notification channels and which checks subscribe to them.
import type { Db } from './db.js';
import type { ChannelRow } from './schema.js';
import { prepared } from './prepared.js';

export async function listChannels(db: Db, workspaceId: string): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

export async function findChannel(db: Db, workspaceId: string, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Channels by id, whatever their workspace (the delivery worker reads the channels of a claimed batch at once). */
export async function channelsById(db: Db, ids: string[]): Promise<Map<string, ChannelRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('channels')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export async function insertChannel(db: Db, row: ChannelRow): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

export async function updateChannel(
  db: Db,
  id: string,
  change: Partial<Pick<ChannelRow, 'name' | 'config' | 'is_default' | 'notify_late'>>,
): Promise<void> {
  await db.updateTable('channels').set(change).where('id', '=', id).execute();
}

/** Subscribes checks (of the channel's workspace) to a channel; returns how many were not subscribed before. */
export async function subscribeChecks(db: Db, channelId: string, checkIds: string[]): Promise<number> {
  if (checkIds.length === 0) return 0;
  const before = await db
    .selectFrom('check_channels')
    .select('check_id')
    .where('channel_id', '=', channelId)
    .where('check_id', 'in', checkIds)
    .execute();
  const have = new Set(before.map((r) => r.check_id));
  const fresh = [...new Set(checkIds)].filter((id) => !have.has(id));
  if (fresh.length)
    await db
      .insertInto('check_channels')
      .values(fresh.map((check_id) => ({ check_id, channel_id: channelId })))
      .execute();
  return fresh.length;
}

export async function checkIdsOfChannel(db: Db, channelId: string): Promise<string[]> {
  const rows = await db.selectFrom('check_channels').select('check_id').where('channel_id', '=', channelId).execute();
  return rows.map((r) => r.check_id);
}

export async function deleteChannel(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('channels').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await db.deleteFrom('check_channels').where('channel_id', '=', id).execute();
  return true;
}

/** The channels a check notifies. */
// Prepared: read for every incident event.
const channelsQuery = prepared<'check_id', ChannelRow>((db, p) =>
  db
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .selectAll('channels')
    .where('check_channels.check_id', '=', p('check_id')),
);

export async function channelsOfCheck(db: Db, checkId: string): Promise<ChannelRow[]> {
  return channelsQuery(db, { check_id: checkId });
}

export async function channelIdsOfChecks(db: Db, checkIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(checkIds.map((id) => [id, []]));
  if (checkIds.length === 0) return result;
  const rows = await db.selectFrom('check_channels').select(['check_id', 'channel_id']).where('check_id', 'in', checkIds).execute();
  for (const row of rows) result.get(row.check_id)?.push(row.channel_id);
  return result;
}

export async function setCheckChannels(db: Db, checkId: string, channelIds: string[]): Promise<void> {
  await db.deleteFrom('check_channels').where('check_id', '=', checkId).execute();
  if (channelIds.length === 0) return;
  await db
    .insertInto('check_channels')
    .values([...new Set(channelIds)].map((channel_id) => ({ check_id: checkId, channel_id })))
    .execute();
}

export async function defaultChannelIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.selectFrom('channels').select('id').where('workspace_id', '=', workspaceId).where('is_default', '=', 1).execute();
  return rows.map((r) => r.id);
}

/** The channels of a check that asked for early "late" warnings (notify_late). */
export async function lateChannelsOfCheck(db: Db, checkId: string): Promise<ChannelRow[]> {
  return db
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .selectAll('channels')
    .where('check_channels.check_id', '=', checkId)
    .where('channels.notify_late', '=', 1)
    .execute();
}
