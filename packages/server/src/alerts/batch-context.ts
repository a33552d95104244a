// The flip context of one scheduler batch: what each flip would otherwise read for itself (open incidents, whether the
// check depends on another, its workspace's alert settings and maintenance windows) read once for the whole batch.
// A cron minute can flip every check of a batch, so these reads were most of a flip's cost.
import type { Db } from '../store/db.js';
import { openIncidentsOf } from '../store/incidents.js';
import { withParents } from '../store/dependencies.js';
import type { FlipContext } from './queue.js';
import { flipContext } from './record-flip.js';

/** Reads once per key: later calls share the first call's answer. */
function memoized<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (key) => {
    let value = known.get(key);
    if (!value) {
      value = read(key);
      known.set(key, value);
    }
    return value;
  };
}

/**
 * A context for the flips of one batch, `flipping` being the checks expected to flip. Only for work inside one
 * transaction: settings and windows are read at first use and not again (nothing in a scheduler pass changes them).
 */
export async function batchFlipContext(db: Db, publicUrl: string, flipping: readonly string[]): Promise<FlipContext> {
  const plain = flipContext({ db, publicUrl });
  return {
    ...plain,
    serviceName: memoized(plain.serviceName),
    openIncidents: await openIncidentsOf(db, flipping),
    hasParents: await withParents(db, flipping),
    alertSettings: memoized(plain.alertSettings),
    maintenanceWindows: memoized(plain.maintenanceWindows),
  };
}
