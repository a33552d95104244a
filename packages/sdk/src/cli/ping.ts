// `overdue ping <check> [start|success|fail|log|progress N|0-255] [-m message]`: one signal by hand.
import type { OverdueClient } from '../client.js';
import type { SignalResult } from '../send-signal.js';
import { UsageError } from './args.js';

export const PING_ACTIONS = 'start, success, fail, log, progress [0-100], or an exit status 0-255';

/** Sends the signal the words name; the client's onError has already told why when it did not land. */
export function sendPing(
  client: OverdueClient,
  check: string,
  words: string[],
  message: string | undefined,
  rid: string | undefined,
): Promise<SignalResult> {
  const [action = 'success', arg, ...extra] = words;
  const run = client.run(check, rid ?? null);
  const noMore = (allowed: number) => {
    if (words.length > allowed)
      throw new UsageError(
        `unexpected "${words.slice(allowed).join(' ')}" after "${words.slice(0, allowed).join(' ')}"; actions are ${PING_ACTIONS}`,
      );
  };
  switch (action) {
    case 'success':
      noMore(1);
      return run.success(message);
    case 'start':
      noMore(1);
      return run.start(message);
    case 'fail':
      noMore(1);
      return run.fail(message ?? 'failed');
    case 'log':
      noMore(1);
      return run.log(message ?? '');
    case 'progress': {
      if (extra.length) noMore(2);
      if (arg !== undefined && !/^\d{1,3}$/.test(arg))
        throw new UsageError(`progress takes a whole percentage from 0 to 100; got "${arg}"`);
      const percent = arg === undefined ? null : Number(arg);
      if (percent != null && percent > 100) throw new UsageError(`progress takes a whole percentage from 0 to 100; got ${percent}`);
      return run.progress(percent, message);
    }
    default:
      if (/^\d{1,3}$/.test(action) && Number(action) <= 255) {
        noMore(1);
        return run.exitCode(Number(action), message);
      }
      throw new UsageError(`unknown ping action "${action}"; use ${PING_ACTIONS}`);
  }
}
