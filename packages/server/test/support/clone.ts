// Many checks in a moment: copies of a template check (made through the API, so every column other branches add
// is filled the way the server fills it), written straight into a stopped server's store file.
import type { Sqlite } from './audit.js';
import { newCheckKey, newId, readIdOf } from '../../src/store/ids.js';

/**
 * Inserts `count` copies of check `templateId` with fresh id, key, slug and name (`${prefix} ${i}`), the
 * template's channel subscriptions, and `columns(i)` overriding any other column. Returns the new ids.
 */
export function cloneCheck(
  db: Sqlite,
  templateId: string,
  count: number,
  prefix: string,
  columns: (i: number) => Record<string, unknown> = () => ({}),
): string[] {
  const names = (db.prepare('pragma table_info(checks)').all() as { name: string }[]).map((c) => c.name);
  const ids: string[] = [];
  const statements = new Map<string, ReturnType<Sqlite['prepare']>>();
  const subscribe = db.prepare(
    'insert into check_channels (check_id, channel_id) select ?, channel_id from check_channels where check_id = ?',
  );
  const insert = db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = newId();
      const fixed: Record<string, unknown> = {
        id,
        read_id: readIdOf(id),
        key: newCheckKey(),
        slug: `${prefix.replace(/\W+/g, '-')}-${i}`,
        name: `${prefix} ${i}`,
        ...columns(i),
      };
      const select = names.map((n) => (n in fixed ? `@${n}` : `"${n}"`)).join(', ');
      let statement = statements.get(select);
      if (!statement) {
        statement = db.prepare(
          `insert into checks (${names.map((n) => `"${n}"`).join(', ')}) select ${select} from checks where id = @template`,
        );
        statements.set(select, statement);
      }
      statement.run({ ...fixed, template: templateId });
      subscribe.run(id, templateId);
      ids.push(id);
    }
  });
  insert();
  return ids;
}
